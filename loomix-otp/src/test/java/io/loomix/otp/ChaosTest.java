package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.loomix.Process.*;
import static io.loomix.otp.Probe.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A three-level tree under random kills: a rest_for_one top with a registry and three
 * supervisors (one of each strategy), each with three workers named through the registry. After
 * a bounded time of kills the tree must be whole again, every worker reachable by its name, and
 * the node's process count back at its baseline once the tree is stopped.
 */
class ChaosTest {
    private static final int TREE_SIZE = 1 + 1 + 3 + 9; // top, registry, mids, workers
    private static final Duration CHAOS = Duration.ofSeconds(2);

    record Ping() {}

    static final class Worker extends GenServer<String> {
        private final String key;

        Worker(String key) {
            this.key = key;
        }

        @Override
        protected Init<String> init() {
            return ok(key);
        }

        @Override
        protected CallResult<String> handleCall(Object request, From from, String state) {
            return reply(state, state);
        }
    }

    private static ChildSpec mid(String id, Strategy strategy, Registry registry) {
        List<ChildSpec> workers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String key = id + "w" + i;
            workers.add(ChildSpec.worker(key, () -> GenServer.startLink(new Worker(key), new Via(registry, key))));
        }
        SupervisorSpec spec = SupervisorSpec.of(strategy, workers).withIntensity(1_000, Duration.ofSeconds(1));
        return ChildSpec.supervisor(id, () -> Supervisor.startLink(spec));
    }

    private static List<Pid> running(Pid sup) {
        List<Pid> out = new ArrayList<>();
        try {
            for (Supervisor.ChildInfo c : Supervisor.whichChildren(sup)) {
                c.pid().ifPresent(out::add);
            }
        } catch (Throwable exited) { // the supervisor died under us: the caller's exit, caught
            return List.of();
        }
        return out;
    }

    @Test
    void randomKillsLeaveAWholeTreeAndNoLeakedProcesses() {
        run(() -> {
            trapExit(true);
            int baseline = count();
            Registry registry = new Registry(Atom.of("chaos_registry"), Registry.Keys.UNIQUE);
            SupervisorSpec topSpec = SupervisorSpec.of(Strategy.REST_FOR_ONE, List.of(
                    Registry.childSpec("chaos_registry", Registry.Keys.UNIQUE),
                    mid("m1", Strategy.ONE_FOR_ONE, registry),
                    mid("m2", Strategy.ONE_FOR_ALL, registry),
                    mid("m3", Strategy.REST_FOR_ONE, registry))).withIntensity(10_000, Duration.ofSeconds(1));
            Pid top = Supervisor.startLink(topSpec);
            assertEquals(baseline + TREE_SIZE, count());

            Random random = new Random(42);
            long end = System.nanoTime() + CHAOS.toNanos();
            int kills = 0;
            while (System.nanoTime() < end) {
                List<Pid> victims = new ArrayList<>();
                for (Pid child : running(top)) {
                    victims.add(child);
                    victims.addAll(running(child).stream().filter(p -> !p.equals(child)).toList());
                }
                victims.removeIf(p -> !alive(p));
                if (victims.isEmpty()) {
                    continue;
                }
                Pid victim = victims.get(random.nextInt(victims.size()));
                Ref m = monitor(victim);
                exit(victim, random.nextBoolean() ? ExitReason.KILL : ExitReason.of(Atom.of("chaos")));
                awaitDown(m); // its supervisor has the Exit queued before we go on
                kills++;
                if (random.nextInt(4) == 0) {
                    receive(Duration.ofMillis(random.nextInt(3)), x -> null, () -> null); // let restarts race
                }
            }
            assertTrue(alive(top), "the top supervisor survived " + kills + " kills");

            // Whole again: a sync call to each supervisor, top first, lets it act on the exits it holds.
            List<Pid> mids = running(top);
            assertEquals(4, mids.size(), "registry and three supervisors run");
            for (Pid mid : mids.subList(1, 4)) {
                assertEquals(3, running(mid).size());
                assertTrue(info(mid).orElseThrow().monitors().isEmpty(), "no monitor left in " + mid);
            }
            assertTrue(info(top).orElseThrow().monitors().isEmpty(), "no monitor left in the top supervisor");
            for (String m : List.of("m1", "m2", "m3")) {
                for (int i = 1; i <= 3; i++) {
                    String key = m + "w" + i;
                    assertEquals(key, GenServer.call(new Via(registry, key), new Ping()));
                }
            }
            awaitCount(baseline + TREE_SIZE);

            Ref m = monitor(top);
            exit(top, ExitReason.SHUTDOWN);
            assertEquals(ExitReason.SHUTDOWN, awaitDown(m).reason());
            awaitCount(baseline);
            assertTrue(info(self()).orElseThrow().monitors().isEmpty(), "the test holds no monitors");
        });
    }

    /**
     * A process leaves the process table just after its Down is sent, so the count may lag a
     * Down by a moment: look again for a bounded time, then fail with what was seen.
     */
    private static void awaitCount(int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count() != expected && System.nanoTime() < deadline) {
            receive(Duration.ofMillis(1), x -> null, () -> null);
        }
        assertEquals(expected, count(), "live processes");
    }
}

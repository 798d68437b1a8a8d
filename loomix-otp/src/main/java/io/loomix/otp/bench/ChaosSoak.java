package io.loomix.otp.bench;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Exited;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.otp.CallResult;
import io.loomix.otp.ChildSpec;
import io.loomix.otp.From;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;
import io.loomix.otp.Registry;
import io.loomix.otp.Strategy;
import io.loomix.otp.Supervisor;
import io.loomix.otp.SupervisorSpec;
import io.loomix.otp.Via;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.loomix.Process.*;

/**
 * A three-level supervision tree under random kills, as a test (ChaosTest) and as a soak run:
 * a rest_for_one top with a registry and three supervisors (one of each strategy), each with
 * three workers named through the registry, whose init may be slow, so that kills land while
 * children are starting. After the kills the tree must be whole, every worker reachable by name,
 * no monitor left in a supervisor, and the process count back at its baseline once the tree is
 * stopped. Any failure throws {@link IllegalStateException} saying what was seen.
 *
 * <p>Soak: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp loomix-core/target/classes:loomix-otp/target/classes
 * io.loomix.otp.bench.ChaosSoak SECONDS INIT_DELAY_MS [SEED]}.
 */
public final class ChaosSoak {
    private ChaosSoak() {}

    /** The tree's process count: top, registry, three mids, nine workers. */
    public static final int TREE_SIZE = 1 + 1 + 3 + 9;

    /** What a run did. */
    public record Report(int kills, int calls, Duration ran) {}

    record Ping() {}

    static final class Worker extends GenServer<String> {
        private final String key;
        private final Duration initDelay;

        Worker(String key, Duration initDelay) {
            this.key = key;
            this.initDelay = initDelay;
        }

        @Override
        protected Init<String> init() {
            if (initDelay.isPositive()) {
                receive(initDelay, m -> null, () -> null);
            }
            return ok(key);
        }

        @Override
        protected CallResult<String> handleCall(Object request, From from, String state) {
            return reply(state, state);
        }
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ChaosSoak SECONDS INIT_DELAY_MS [SEED]");
            System.exit(2);
        }
        Duration chaos = Duration.ofSeconds(Long.parseLong(args[0]));
        Duration initDelay = Duration.ofMillis(Long.parseLong(args[1]));
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        Report r = io.loomix.Process.run(() -> run(chaos, initDelay, seed));
        System.out.println("chaos soak clean: " + r.kills() + " kills, " + r.calls() + " calls in " + r.ran()
                + " (init delay " + initDelay.toMillis() + " ms, seed " + seed + ")");
        System.exit(0);
    }

    /** Runs the chaos in the calling process, which must trap exits and own nothing else. */
    public static Report run(Duration chaos, Duration initDelay, long seed) {
        trapExit(true);
        int baseline = count();
        String registryName = "chaos_registry_" + seed + "_" + System.nanoTime();
        Registry registry = new Registry(Atom.of(registryName), Registry.Keys.UNIQUE);
        SupervisorSpec topSpec = SupervisorSpec.of(Strategy.REST_FOR_ONE, List.of(
                Registry.childSpec(registryName, Registry.Keys.UNIQUE),
                mid("m1", Strategy.ONE_FOR_ONE, registry, initDelay),
                mid("m2", Strategy.ONE_FOR_ALL, registry, initDelay),
                mid("m3", Strategy.REST_FOR_ONE, registry, initDelay))).withIntensity(1_000_000, Duration.ofSeconds(1));
        Pid top = Supervisor.startLink(topSpec);
        check(count() == baseline + TREE_SIZE, "after start: " + count() + " live, expected " + (baseline + TREE_SIZE));

        Random random = new Random(seed);
        long start = System.nanoTime();
        long end = start + chaos.toNanos();
        int kills = 0;
        int calls = 0;
        while (System.nanoTime() < end) {
            // Supervisors and the registry trap exits: only a kill ends them. Workers get either.
            List<Pid> trapping = new ArrayList<>();
            List<Pid> workers = new ArrayList<>();
            for (Supervisor.ChildInfo child : children(top)) {
                if (child.pid().isEmpty()) {
                    continue;
                }
                trapping.add(child.pid().get());
                if (child.type() == ChildSpec.Type.SUPERVISOR) {
                    workers.addAll(running(child.pid().get()));
                }
            }
            calls++;
            trapping.removeIf(p -> !alive(p));
            workers.removeIf(p -> !alive(p));
            int n = trapping.size() + workers.size();
            if (n == 0) {
                continue;
            }
            int pick = random.nextInt(n);
            Pid victim = pick < trapping.size() ? trapping.get(pick) : workers.get(pick - trapping.size());
            Ref m = monitor(victim);
            boolean kill = pick < trapping.size() || random.nextBoolean();
            exit(victim, kill ? ExitReason.KILL : ExitReason.of(Atom.of("chaos")));
            awaitDown(m, "the victim " + victim);
            kills++;
            if (random.nextInt(4) == 0) {
                receive(Duration.ofMillis(random.nextInt(3)), x -> null, () -> null); // let restarts race
            }
        }
        check(alive(top), "the top supervisor died during " + kills + " kills");

        // Whole again: restarts that failed are retried from the mailbox, so allow a few rounds.
        awaitWhole(top);
        for (Pid mid : supervisors(top)) {
            List<Pid> workers = running(mid);
            check(workers.size() == 3, "supervisor " + mid + " runs " + workers);
            check(info(mid).orElseThrow().monitors().isEmpty(), "monitors left in " + mid);
        }
        check(info(top).orElseThrow().monitors().isEmpty(), "monitors left in the top supervisor");
        for (String m : List.of("m1", "m2", "m3")) {
            for (int i = 1; i <= 3; i++) {
                String key = m + "w" + i;
                Object answer = GenServer.call(new Via(registry, key), new Ping());
                check(key.equals(answer), key + " answered " + answer);
                calls++;
            }
        }
        awaitCount(baseline + TREE_SIZE, "the whole tree");

        Ref m = monitor(top);
        exit(top, ExitReason.SHUTDOWN);
        ExitReason reason = awaitDown(m, "the top supervisor's shutdown");
        check(reason == ExitReason.SHUTDOWN, "the top supervisor exited with " + reason);
        awaitCount(baseline, "after shutdown");
        check(info(self()).orElseThrow().monitors().isEmpty(), "the chaos process holds monitors");
        flush();
        return new Report(kills, calls, Duration.ofNanos(System.nanoTime() - start));
    }

    private static ChildSpec mid(String id, Strategy strategy, Registry registry, Duration initDelay) {
        List<ChildSpec> workers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String key = id + "w" + i;
            workers.add(ChildSpec.worker(key, () -> GenServer.startLink(new Worker(key, initDelay),
                    new Via(registry, key))));
        }
        SupervisorSpec spec = SupervisorSpec.of(strategy, workers).withIntensity(1_000_000, Duration.ofSeconds(1));
        return ChildSpec.supervisor(id, () -> Supervisor.startLink(spec));
    }

    private static void awaitWhole(Pid top) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<Pid> mids = supervisors(top);
            if (running(top).size() == 4 && mids.size() == 3 && mids.stream().allMatch(m -> running(m).size() == 3)) {
                return;
            }
            receive(Duration.ofMillis(10), x -> null, () -> null);
        }
        StringBuilder seen = new StringBuilder();
        for (Supervisor.ChildInfo c : children(top)) {
            seen.append("\n  ").append(c);
            if (c.type() == ChildSpec.Type.SUPERVISOR && c.pid().isPresent()) {
                children(c.pid().get()).forEach(w -> seen.append("\n    ").append(w));
            }
        }
        for (Pid p : list()) {
            info(p).ifPresent(i -> seen.append("\n  live ").append(i));
        }
        throw new IllegalStateException("the tree is not whole 10 s after the kills:" + seen);
    }

    private static List<Pid> supervisors(Pid top) {
        return children(top).stream().filter(c -> c.type() == ChildSpec.Type.SUPERVISOR)
                .flatMap(c -> c.pid().stream()).toList();
    }

    private static List<Pid> running(Pid sup) {
        List<Pid> out = new ArrayList<>();
        for (Supervisor.ChildInfo c : children(sup)) {
            c.pid().ifPresent(out::add);
        }
        return out;
    }

    private static List<Supervisor.ChildInfo> children(Pid sup) {
        try {
            return Supervisor.whichChildren(sup, Duration.ofSeconds(10));
        } catch (Exited e) {
            if (alive(sup)) { // it did not answer in 10 s: a hung supervisor, the fault this hunts
                throw new IllegalStateException("supervisor " + sup + " did not answer whichChildren: " + e.reason()
                        + "; " + info(sup).orElse(null));
            }
            return List.of(); // it died under us
        }
    }

    private static ExitReason awaitDown(Ref ref, String what) {
        ExitReason reason = receive(Duration.ofSeconds(15),
                m -> m instanceof io.loomix.Down d && d.ref().equals(ref) ? d.reason() : null, () -> null);
        check(reason != null, "no Down in 15 s for " + what);
        return reason;
    }

    /**
     * A process leaves the process table just after its Down is sent, so the count may lag a
     * Down by a moment: look again for a bounded time, then fail with what was seen.
     */
    private static void awaitCount(int expected, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count() != expected && System.nanoTime() < deadline) {
            receive(Duration.ofMillis(1), x -> null, () -> null);
        }
        if (count() != expected) {
            List<String> live = new ArrayList<>();
            for (Pid p : list()) {
                info(p).ifPresent(i -> live.add(i.pid() + " " + i.initialCall() + " " + i.status() + " links "
                        + i.links()));
            }
            throw new IllegalStateException(what + ": " + count() + " live processes, expected " + expected + ": "
                    + live);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}

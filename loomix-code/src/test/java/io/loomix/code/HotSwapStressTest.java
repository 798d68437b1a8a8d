package io.loomix.code;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.otp.GenServer;
import io.loomix.otp.Sys;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Many hot swaps in a row of one or several servers of a module, each under calls from several
 * callers at once: every call is answered (a lost one would time out its caller), in order, no
 * server is left suspended (its callers would time out), every swap moves every server, and each
 * server's count is the number of calls it was made. The two versions' states are different
 * records, so every swap also rebuilds the state across class loaders.
 */
class HotSwapStressTest {
    @RegisterExtension
    static final ProcessExtension loomix = ProcessExtension.create().withTimeout(Duration.ofMinutes(5));
    private static final int SWAPS = 100;
    private static final int CALLERS = 4;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} servers")
    @ValueSource(ints = {1, 3})
    void swapsInARowUnderCallsFromSeveralCallersLoseNoCallAndLeaveNoServerSuspended(int servers) {
        CodeServer code = new CodeServer(getClass().getClassLoader());
        Path file = Sources.write(dir, "Counter.java", Sources.counter("a", null));
        ModuleBinary a = code.compile(file).get(0);
        Sources.write(dir, "Counter.java", Sources.counter("b", "label"));
        ModuleBinary b = code.compile(file).get(0);
        code.load(a);
        List<Pid> counters = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            counters.add((Pid) code.mod("Counter").call("start"));
        }
        Pid me = self();
        List<Ref> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            long seed = i;
            callers.add(spawnMonitor(() -> callUntilStopped(counters, me, seed)).ref());
        }
        for (int i = 0; i < CALLERS; i++) {
            receive(m -> "calling".equals(m) ? m : null);
        }
        for (int swap = 1; swap <= SWAPS; swap++) {
            code.load(swap % 2 == 1 ? b : a);
            List<Upgrade> moved = code.upgradeServers("Counter", List.of());
            assertEquals(servers, moved.size(), "swap " + swap + ": " + moved);
            for (Upgrade u : moved) {
                assertEquals(new Upgrade.Moved(u.server(), swap, swap + 1), u, "swap " + swap);
            }
            Class<?> now = code.currentClass("Counter").orElseThrow();
            for (Pid c : counters) {
                assertSame(now, Sys.module(c), "swap " + swap + ": " + c + " runs the current version");
            }
        }
        register("stress_swap_done", me);
        Map<Pid, Long> calls = new HashMap<>();
        int answered = 0;
        int exited = 0;
        while (answered < CALLERS || exited < CALLERS) {
            Object m = receive(Duration.ofSeconds(60), x -> x instanceof Map<?, ?> || x instanceof Down ? x : null, () -> null);
            assertNotNull(m, "a caller neither answered nor exited");
            if (m instanceof Down d) {
                assertTrue(callers.contains(d.ref()));
                assertEquals(ExitReason.NORMAL, d.reason(), "a caller failed");
                exited++;
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<Pid, Long> made = (Map<Pid, Long>) m;
            made.forEach((pid, n) -> calls.merge(pid, n, Long::sum));
            answered++;
        }
        unregister("stress_swap_done");
        String last = SWAPS % 2 == 1 ? "b" : "a";
        for (Pid c : counters) {
            long made = calls.getOrDefault(c, 0L);
            assertTrue(made > 0, c + " got no call");
            assertEquals(List.of(last, (int) made + 1), GenServer.call(c, "inc"), "no call to " + c + " lost or doubled");
            GenServer.stop(c); // started unlinked by the loaded module
        }
    }

    /** Calls random servers until stress_swap_done is registered; answers the calls made to each. */
    private static void callUntilStopped(List<Pid> counters, Pid test, long seed) {
        send(test, "calling");
        Random random = new Random(seed);
        Map<Pid, Long> made = new HashMap<>();
        Map<Pid, Integer> last = new HashMap<>();
        while (whereis("stress_swap_done").isEmpty()) {
            Pid c = counters.get(random.nextInt(counters.size()));
            List<?> reply = GenServer.call(c, "inc", Duration.ofSeconds(30));
            int n = (Integer) reply.get(1);
            int before = last.getOrDefault(c, 0);
            if (n <= before) {
                throw new AssertionError(c + " answered " + n + " after " + before + ": state lost or replies out of order");
            }
            last.put(c, n);
            made.merge(c, 1L, Long::sum);
        }
        send(test, Map.copyOf(made));
    }
}

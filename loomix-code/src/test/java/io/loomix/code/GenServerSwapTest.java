package io.loomix.code;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.otp.GenServer;
import io.loomix.otp.Sys;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** A GenServer moves to new code with suspend, codeChange on the new version, resume. */
@Timeout(120)
@ExtendWith(ProcessExtension.class)
class GenServerSwapTest {
    private static final Probe PROBE = Probe.withTimeout(Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private final CodeServer code = new CodeServer(getClass().getClassLoader());

    @Test
    void cMovesARunningServerToTheNewVersionKeepingAndMigratingItsState() {
        Path file = Sources.write(dir, "Counter.java", Sources.counter("v1", null));
        code.c(file);
        Pid counter = (Pid) code.mod("Counter").call("start");
        assertEquals(List.of("v1", 1), GenServer.call(counter, "inc"));
        assertEquals(List.of("v1", 2), GenServer.call(counter, "inc"));

        Sources.write(dir, "Counter.java", Sources.counter("v2", "migrated"));
        code.c(file);
        assertEquals(List.of("v2", 3), GenServer.call(counter, "inc"), "same process, state kept, new code");
        assertEquals("migrated from 1 []", GenServer.call(counter, "label"),
                "codeChange ran on the new code with oldVsn and extra");
        assertEquals(2, code.mod("Counter").vsn());
        assertSame(code.currentClass("Counter").orElseThrow(), Sys.module(counter));
        assertFalse(code.checkProcessCode(counter, "Counter"), "nothing runs the old version");
        assertTrue(code.softPurge("Counter"));
        GenServer.stop(counter); // started unlinked by the loaded module
    }

    @Test
    void aServerThatCannotMoveStaysAndIsKilledWhenItsVersionIsPurged() {
        Path file = Sources.write(dir, "Counter.java", Sources.counter("v1", null));
        code.c(file);
        Pid counter = (Pid) code.mod("Counter").call("start");
        GenServer.call(counter, "inc");
        // v2's codeChange throws: the server stays on v1 with its state.
        Sources.write(dir, "Counter.java", Sources.counter("v2", null).replace("}\n\n}", "}\n}")
                .replace("    @Override\n    protected Init", """
                    @Override
                    protected State codeChange(Object oldVsn, State s, Object extra) {
                        throw new IllegalStateException("no way");
                    }

                    @Override
                    protected Init"""));
        List<Loaded> loaded = code.c(file);
        assertEquals(2, loaded.get(0).vsn());
        List<Upgrade> again = code.upgradeServers("Counter", List.of());
        assertEquals(1, again.size());
        assertInstanceOf(Upgrade.Stayed.class, again.get(0));
        assertTrue(((Upgrade.Stayed) again.get(0)).why().contains("no way"), again.toString());
        assertEquals(List.of("v1", 2), GenServer.call(counter, "inc"), "old code, state kept");
        assertTrue(code.checkProcessCode(counter, "Counter"));
        assertFalse(code.softPurge("Counter"));

        Ref down = monitor(counter);
        Sources.write(dir, "Counter.java", Sources.counter("v3", null));
        code.c(file);
        Object d = PROBE.expectDown(down);
        assertEquals(ExitReason.KILLED, ((Down) d).reason());
    }

    /**
     * Callers call the server without pause while it is swapped several times: every call is
     * answered exactly once, in order, and the server's count is the number of calls made.
     * Prints the longest call that overlapped a swap (the callers' pause) and the longest at other times.
     */
    @RepeatedTest(3)
    void aSwapUnderASteadyCallLoadLosesNoCall() {
        Path file = Sources.write(dir, "Counter.java", Sources.counter("v1", null));
        code.c(file);
        Pid counter = (Pid) code.mod("Counter").call("start");
        int callers = 4;
        Pid me = self();
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            refs.add(spawnMonitor(() -> callUntilStopped(counter, me)).ref());
        }
        for (int i = 0; i < callers; i++) {
            receive(m -> "calling".equals(m) ? m : null);
        }
        long compileNanos = 0;
        long swapNanos = 0;
        List<long[]> swaps = new ArrayList<>();
        for (int v = 2; v <= 4; v++) {
            Sources.write(dir, "Counter.java", Sources.counter("v" + v, null));
            long t0 = System.nanoTime();
            ModuleBinary binary = code.compile(file).get(0);
            long t1 = System.nanoTime();
            code.load(binary);
            List<Upgrade> moved = code.upgradeServers("Counter", List.of());
            long t2 = System.nanoTime();
            assertEquals(List.of(new Upgrade.Moved(counter, v - 1, v)), moved);
            compileNanos = Math.max(compileNanos, t1 - t0);
            swapNanos = Math.max(swapNanos, t2 - t1);
            swaps.add(new long[] {t1, t2});
        }
        register("swap_done", self());
        long calls = 0;
        long duringSwaps = 0;
        long elsewhere = 0;
        int seenV4 = 0;
        for (int i = 0; i < callers; i++) {
            Object[] r = receive(m -> m instanceof List<?> l && l.size() == 3 ? l.toArray() : null);
            calls += (Long) r[0];
            for (Object o : (List<?>) r[1]) {
                List<?> call = (List<?>) o;
                long start = (Long) call.get(0);
                long end = (Long) call.get(1);
                boolean inSwap = swaps.stream().anyMatch(w -> start <= w[1] && end >= w[0]);
                duringSwaps = inSwap ? Math.max(duringSwaps, end - start) : duringSwaps;
                elsewhere = inSwap ? elsewhere : Math.max(elsewhere, end - start);
            }
            seenV4 += (Boolean) r[2] ? 1 : 0;
        }
        unregister("swap_done");
        for (Ref r : refs) {
            Object d = PROBE.expectDown(r);
            assertEquals(ExitReason.NORMAL, ((Down) d).reason(), "a caller failed: " + d);
        }
        assertEquals(callers, seenV4, "every caller reached the last version");
        assertEquals(List.of("v4", (int) calls + 1), GenServer.call(counter, "inc"), "no call lost or doubled");
        System.out.printf("hot swap under load: %d calls by %d callers; longest call overlapping a load + upgrade %.2f ms,"
                + " longest call at other times %.2f ms (the machine's noise: compiles, GC, other work);"
                + " longest compile %.1f ms, longest load + upgrade %.2f ms (distribution: docs/notes/measure-swap.sh)%n",
                calls, callers, duringSwaps / 1e6, elsewhere / 1e6, compileNanos / 1e6, swapNanos / 1e6);
        GenServer.stop(counter); // started unlinked by the loaded module
    }

    /**
     * A server with calls always queued never waits in a receive, so its stack cannot be read:
     * it is still found (by its initial call) and moved, its system call answered between two calls.
     */
    @Test
    void aServerTooBusyToBeSeenWaitingIsMovedAllTheSame() {
        Path file = Sources.write(dir, "Slow.java", slow("v1"));
        code.c(file);
        Pid slow = (Pid) code.mod("Slow").call("start");
        Pid me = self();
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refs.add(spawnMonitor(() -> {
                send(me, GenServer.call(slow, "work"));
                while (whereis("slow_done").isEmpty()) {
                    GenServer.call(slow, "work");
                }
            }).ref());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals("v1", receive(m -> "v1".equals(m) ? m : null));
        }
        Sources.write(dir, "Slow.java", slow("v2"));
        code.load(code.compile(file).get(0));
        assertEquals(List.of(new Upgrade.Moved(slow, 1, 2)), code.upgradeServers("Slow", List.of()));
        register("slow_done", self());
        for (Ref r : refs) {
            Object d = receive(m -> m instanceof Down x && x.ref().equals(r) ? x : null);
            assertEquals(ExitReason.NORMAL, ((Down) d).reason(), "a caller failed: " + d);
        }
        unregister("slow_done");
        assertEquals("v2", GenServer.call(slow, "work"));
        GenServer.stop(slow);
    }

    /** A GenServer whose every call computes for 20 ms. */
    private static String slow(String version) {
        return """
                import io.loomix.Pid;
                import io.loomix.otp.*;

                public class Slow extends GenServer<Integer> {
                    public static Pid start() { return GenServer.start(new Slow()); }

                    @Override
                    protected Init<Integer> init() { return ok(0); }

                    @Override
                    protected CallResult<Integer> handleCall(Object req, From from, Integer s) {
                        long until = System.nanoTime() + 20_000_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        return reply("%s", s + 1);
                    }
                }
                """.formatted(version);
    }

    /**
     * Calls until the test registers swap_done and this caller has seen v4; answers [calls, the calls
     * longer than 1 ms as [start, end] in nanoTime, saw v4].
     */
    private static void callUntilStopped(Pid counter, Pid test) {
        send(test, "calling");
        long calls = 0;
        List<List<Long>> slow = new ArrayList<>();
        int last = 0;
        boolean v4 = false;
        while (!(v4 && whereis("swap_done").isPresent())) {
            long t0 = System.nanoTime();
            List<?> reply = GenServer.call(counter, "inc");
            long t1 = System.nanoTime();
            if (t1 - t0 > 1_000_000) {
                slow.add(List.of(t0, t1));
            }
            int n = (Integer) reply.get(1);
            if (n <= last) {
                throw new AssertionError("replies out of order: " + n + " after " + last);
            }
            last = n;
            v4 |= "v4".equals(reply.get(0));
            calls++;
        }
        send(test, List.of(calls, List.copyOf(slow), v4));
    }
}

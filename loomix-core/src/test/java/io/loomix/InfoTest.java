package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

class InfoTest {
    /**
     * is_process_alive/1 and process_info/1 of another node's pid raise badarg in Erlang; one of an
     * earlier incarnation of this node is simply not alive.
     */
    @Test
    void anotherNodesPidIsRefusedAndAnEarlierIncarnationsIsNotAlive() {
        Pid remote = new Pid(Atom.of("other@host"), 42, 0, 7);
        var e = assertThrows(IllegalArgumentException.class, () -> alive(remote));
        assertTrue(e.getMessage().contains("other@host"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> info(remote));
        Pid earlier = new Pid(LocalNode.name(), 42, 0, LocalNode.creation() + 1);
        assertFalse(alive(earlier));
        assertTrue(info(earlier).isEmpty());
    }

    @Test
    void infoDescribesAWaitingProcess() {
        run(() -> {
            Pid me = self();
            Pid p = spawnLink(() -> {
                trapExit(true);
                send(me, "ready");
                receive(m -> "stop".equals(m) ? m : null);
            });
            receive(m -> "ready".equals(m) ? m : null);
            register("info_subject", p);
            Ref r = monitor(p);
            send(p, "queued 1");
            send(p, "queued 2");
            ProcessInfo info = awaitWaiting(p);
            assertEquals(p, info.pid());
            assertEquals(2, info.messageQueueLen());
            assertEquals(java.util.List.of(me), info.links());
            assertEquals(java.util.List.of(me), info.monitoredBy());
            assertEquals(Atom.of("info_subject"), info.registeredName());
            assertTrue(info.trapExit());
            assertTrue(info.initialCall().startsWith("io.loomix.InfoTest"), info.initialCall());
            assertTrue(info.reductions() > 0);
            assertTrue(list().contains(p));
            assertTrue(count() >= 2);

            unlink(p);
            send(p, "stop");
            receive(m -> m instanceof Down d && d.ref().equals(r) ? d : null);
            assertTrue(info(p).isEmpty());
            assertFalse(list().contains(p));
        });
    }

    @Test
    void stacktraceShowsWhereAProcessWaits() {
        run(() -> {
            Pid p = spawn(InfoTest::waitInANamedMethod);
            awaitWaiting(p);
            java.util.List<StackTraceElement> stack = stacktrace(p).orElseThrow();
            assertTrue(stack.stream().anyMatch(f -> f.getMethodName().equals("waitInANamedMethod")
                    && f.getClassName().equals(InfoTest.class.getName())), stack.toString());
            Ref r = monitor(p);
            exit(p, ExitReason.KILL);
            receive(m -> m instanceof Down d && d.ref().equals(r) ? d : null);
            assertTrue(stacktrace(p).isEmpty());
        });
    }

    private static void waitInANamedMethod() {
        receive(m -> "never".equals(m) ? m : null);
    }

    /** The process reports "waiting" once it blocks in receive; we ask until it does. */
    private static ProcessInfo awaitWaiting(Pid p) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (;;) {
            ProcessInfo info = info(p).orElseThrow();
            if (info.status().equals("waiting")) {
                return info;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(p + " did not report waiting in 10 s; last status: " + info.status());
            }
            Thread.yield(); // lets p run on a busy carrier (this test process has no yield point)
        }
    }

    @Test
    void monitorsOfANameShowTheName() {
        // erl: process_info(self(), monitors) -> {monitors, [{process, {nm, nonode@nohost}}]}
        run(() -> {
            Pid p = spawn(() -> receive());
            register("info_monitored", p);
            Ref byName = monitor("info_monitored");
            Ref byPid = monitor(p);
            List<Object> monitors = info(self()).orElseThrow().monitors();
            assertEquals(2, monitors.size());
            assertTrue(monitors.contains(Name.local("info_monitored")), monitors.toString());
            assertTrue(monitors.contains(p), monitors.toString());
            send(p, "stop");
            Await.down(byName);
            Await.down(byPid);
        });
    }
}

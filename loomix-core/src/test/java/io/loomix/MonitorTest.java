package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Monitors, checked against erl (OTP 25). */
class MonitorTest {

    @Test
    void downCarriesPidAndReason() {
        run(() -> {
            Monitored m = spawnMonitor(() -> {
                throw exit("bye");
            });
            Down d = Await.down(m.ref());
            assertEquals(m.pid(), d.object());
            assertEquals(new ExitReason.Term("bye"), d.reason());
        });
    }

    @Test
    void monitoringADeadProcessGivesNoproc() {
        run(() -> {
            Monitored m = spawnMonitor(() -> {});
            Await.down(m.ref());
            Ref again = monitor(m.pid());
            assertEquals(new Down(again, m.pid(), ExitReason.NOPROC), Await.down(again));
        });
    }

    @Test
    void monitorByNameNamesTheNameInDown() {
        run(() -> {
            Ref missing = monitor("nobody_here");
            Down d = Await.down(missing);
            assertEquals(Name.local("nobody_here"), d.object());
            assertEquals(ExitReason.NOPROC, d.reason());

            Pid p = spawn(() -> receive());
            register("watched_by_name", p);
            Ref r = monitor("watched_by_name");
            exit(p, ExitReason.KILL);
            Down named = Await.down(r);
            assertEquals(Name.local("watched_by_name"), named.object());
            assertEquals(ExitReason.KILLED, named.reason());
        });
    }

    @Test
    void demonitorStopsDownAndFlushRemovesADeliveredOne() {
        run(() -> {
            Pid p = spawn(() -> receive());
            Ref r = monitor(p);
            assertTrue(demonitor(r));
            exit(p, ExitReason.KILL);
            Ref r2 = monitor(p);
            Await.down(r2); // p is gone, and no Down for r came first
            assertEquals("none", receive(Duration.ZERO, m -> m instanceof Down d && d.ref().equals(r) ? d : null,
                    () -> "none"));

            Monitored q = spawnMonitor(() -> {});
            Ref probe = monitor(q.pid());
            Await.down(probe); // q has exited, so its Down for q.ref() is queued
            assertFalse(demonitor(q.ref(), true));
            assertEquals("none", receive(Duration.ZERO, m -> m instanceof Down d && d.ref().equals(q.ref()) ? d : null,
                    () -> "none"));
        });
    }

    @Test
    void demonitorWithoutFlushLeavesTheDownMessage() {
        run(() -> {
            Monitored q = spawnMonitor(() -> {});
            Ref probe = monitor(q.pid());
            Await.down(probe);
            assertFalse(demonitor(q.ref()));
            assertEquals(q.pid(), Await.down(q.ref()).object());
        });
    }

    @org.junit.jupiter.api.RepeatedTest(3)
    void demonitorWithFlushRacingTheTargetsExitNeverLeavesADown() {
        run(() -> {
            for (int i = 0; i < 5_000; i++) {
                Pid p = spawn(() -> {});
                Ref r = monitor(p);
                demonitor(r, true);
                assertEquals("none", receive(Duration.ZERO,
                        m -> m instanceof Down d && d.ref().equals(r) ? d : null, () -> "none"));
            }
            assertEquals(java.util.List.of(), flush(), "no stray Down messages");
        });
    }

    @Test
    void monitoringSelfCreatesNoMonitor() {
        run(() -> {
            Ref r = monitor(self());
            assertFalse(demonitor(r));
            assertTrue(info(self()).orElseThrow().monitors().isEmpty());
        });
    }

    @Test
    void exitedProcessLeavesNoMonitorsBehind() {
        run(() -> {
            Pid target = spawn(() -> receive());
            Monitored watcher = spawnMonitor(() -> {
                monitor(target);
                throw exit("watcher gone");
            });
            Await.down(watcher.ref());
            assertTrue(info(target).orElseThrow().monitoredBy().isEmpty());
            exit(target, ExitReason.KILL);
        });
    }
}

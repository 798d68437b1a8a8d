package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** SpawnOptions.maxQueueLen: an overfull mailbox kills its process, and nothing else. */
class QueueLimitTest {
    private static LimitExceeded limitOf(ExitReason reason) {
        assertInstanceOf(ExitReason.Term.class, reason, "reason " + reason);
        return assertInstanceOf(LimitExceeded.class, ((ExitReason.Term) reason).value());
    }

    @Test
    void aFloodedProcessDiesWithTheLimitAsItsReasonAndTheSenderGoesOn() {
        run(() -> {
            Monitored slow = spawnMonitor(SpawnOptions.DEFAULT.withMaxQueueLen(100),
                    () -> receive(m -> "never sent".equals(m) ? m : null));
            for (int i = 0; i < 1_000; i++) {
                send(slow.pid(), i); // the sender is never harmed
            }
            Down down = Await.down(slow.ref());
            LimitExceeded limit = limitOf(down.reason());
            assertEquals("message_queue_len", limit.limit());
            assertEquals(100, limit.max());
            assertTrue(limit.value() > 100, limit.toString());
            assertFalse(alive(slow.pid()));
        });
    }

    @Test
    void linkedProcessesSeeTheReasonAndTheKillCannotBeTrapped() {
        run(() -> {
            trapExit(true);
            Pid bystander = spawn(() -> receive(m -> "stop".equals(m) ? m : null));
            Pid offender = spawnLink(SpawnOptions.DEFAULT.withMaxQueueLen(10), () -> {
                trapExit(true); // trapping does not save the offender
                receive(m -> "never sent".equals(m) ? m : null);
            });
            for (int i = 0; i < 11; i++) {
                send(offender, i);
            }
            limitOf(Await.exit(offender).reason());
            assertTrue(alive(bystander), "an unrelated process is unaffected");
            send(bystander, "stop");
            trapExit(false);
        });
    }

    @Test
    void aProcessWithinItsLimitIsUntouched() {
        run(() -> {
            Pid me = self();
            Monitored ok = spawnMonitor(SpawnOptions.DEFAULT.withMaxQueueLen(5), () -> {
                for (int i = 0; i < 1_000; i++) {
                    receive();
                }
                send(me, "done");
            });
            for (int i = 0; i < 1_000; i++) {
                send(ok.pid(), i);
                if (i % 5 == 4) {
                    // Let it drain: it asks for nothing, so wait until its queue is short again.
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (info(ok.pid()).map(ProcessInfo::messageQueueLen).orElse(0L) > 0) {
                        assertTrue(System.nanoTime() - deadline < 0, "the receiver did not drain its mailbox in 10 s: "
                                + info(ok.pid()).orElse(null));
                        Thread.onSpinWait();
                    }
                }
            }
            assertEquals("done", receive(m -> "done".equals(m) ? m : null));
            assertEquals(ExitReason.NORMAL, Await.down(ok.ref()).reason());
        });
    }

    @Test
    void badOptionsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> SpawnOptions.DEFAULT.withMaxQueueLen(-1));
        assertTrue(e.getMessage().contains("maxQueueLen"), e.getMessage());
        assertThrows(NullPointerException.class, () -> spawn((SpawnOptions) null, () -> {}));
    }
}

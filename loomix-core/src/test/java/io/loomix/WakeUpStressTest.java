package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A mailbox never loses a wake-up: a receiver that finds its mailbox empty and parks is always
 * woken by the message that a sender links at that same moment, and by its own timer.
 *
 * <p>Each round trip makes both sides park and be woken once, on both carriers. Before the fix,
 * the sender's release store of the link and its read of the receiver's state could pass the
 * receiver's store of WAITING and its read of the link (a store-buffer race), and a pair stalled
 * until its guard timeout woke it.
 */
class WakeUpStressTest {
    private static final Duration GUARD = Duration.ofSeconds(2);
    private static final Object LOST = "lost wake-up";

    record Ping(Pid from, int n) {}

    record Pong(int n) {}

    @Test
    void stressEveryOneShotWakeUpIsSeen() throws Exception {
        int pairs = 32;
        int rounds = Integer.getInteger("loomix.stress.rounds", 20_000);
        AtomicInteger lost = new AtomicInteger();
        CompletableFuture<?>[] done = new CompletableFuture<?>[pairs];
        for (int p = 0; p < pairs; p++) {
            CompletableFuture<Void> pairDone = new CompletableFuture<>();
            done[p] = pairDone;
            Pid ponger = spawn(() -> {
                for (;;) {
                    Object m = receive(GUARD, msg -> msg, () -> LOST);
                    if (m == LOST) {
                        lost.incrementAndGet();
                        continue;
                    }
                    if (m instanceof Ping(Pid from, int n)) {
                        send(from, new Pong(n));
                        if (n == rounds - 1) {
                            return;
                        }
                    }
                }
            });
            spawn(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        send(ponger, new Ping(self(), i));
                        int want = i;
                        Object r = receive(GUARD, msg -> msg instanceof Pong(int n) && n == want ? msg : null, () -> LOST);
                        if (r == LOST) {
                            lost.incrementAndGet();
                            i--; // the pong is late, not gone: wait for it again
                        }
                    }
                    pairDone.complete(null);
                } catch (Throwable t) {
                    pairDone.completeExceptionally(t);
                }
            });
        }
        CompletableFuture.allOf(done).get(100, TimeUnit.SECONDS);
        assertEquals(0, lost.get(), "receives that waited out their guard timeout with a message queued");
    }

    @Test
    void stressASenderRacingTheReceiversParkIsSeen() throws Exception {
        // A plain thread sends each message the moment the receiver has taken the previous one, so
        // the send lands while the receiver looks at its empty mailbox and parks.
        int rounds = Integer.getInteger("loomix.stress.rounds", 20_000);
        int receivers = 1;
        AtomicInteger lost = new AtomicInteger();
        Thread[] senders = new Thread[receivers];
        for (int r = 0; r < receivers; r++) {
            java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
            Pid receiver = spawn(() -> {
                for (int i = 0; i < rounds; ) {
                    if (receive(GUARD, m -> m, () -> LOST) == LOST) {
                        lost.incrementAndGet();
                    } else {
                        taken.set(++i);
                    }
                }
            });
            senders[r] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    while (taken.get() < i) {
                        Thread.onSpinWait();
                    }
                    send(receiver, i);
                }
            });
        }
        for (Thread t : senders) {
            t.join(Duration.ofSeconds(100));
        }
        assertEquals(0, lost.get(), "receives that waited out their guard timeout with a message queued");
        for (Thread t : senders) {
            assertFalse(t.isAlive(), "a sender did not finish");
        }
    }

    @Test
    void stressATimedReceiveIsWokenByItsTimer() throws Exception {
        // The timer fires between the receiver's clock check and its park: the wake must not be lost.
        int procs = 64;
        int rounds = 300;
        CompletableFuture<?>[] done = new CompletableFuture<?>[procs];
        for (int p = 0; p < procs; p++) {
            CompletableFuture<Void> d = new CompletableFuture<>();
            done[p] = d;
            spawn(() -> {
                for (int i = 0; i < rounds; i++) {
                    receive(Duration.ofNanos(200_000 + (i % 7) * 100_000), m -> null, () -> null);
                }
                d.complete(null);
            });
        }
        // A lost timer wake-up leaves its process parked for good: the wait below then fails.
        CompletableFuture.allOf(done).get(100, TimeUnit.SECONDS);
    }
}

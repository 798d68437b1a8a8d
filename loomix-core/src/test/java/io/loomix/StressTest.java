package io.loomix;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Many processes, many threads, many repetitions: ordering, selective receive and exits under load. */
class StressTest {
    record Item(int sender, int seq) {}

    @RepeatedTest(5)
    void perSenderOrderHoldsWithManyConcurrentSenders() {
        run(() -> {
            Pid me = self();
            int senders = 64;
            int each = 2_000;
            for (int s = 0; s < senders; s++) {
                int id = s;
                spawn(() -> {
                    for (int i = 0; i < each; i++) {
                        send(me, new Item(id, i));
                    }
                });
            }
            int[] next = new int[senders];
            for (int i = 0; i < senders * each; i++) {
                Item item = (Item) receive();
                assertEquals(next[item.sender()]++, item.seq(), "out of order from sender " + item.sender());
            }
        });
    }

    @RepeatedTest(5)
    void selectiveReceiveUnderConcurrentSends() {
        run(() -> {
            Pid me = self();
            int senders = 16;
            int each = 1_000;
            for (int s = 0; s < senders; s++) {
                int id = s;
                spawn(() -> {
                    for (int i = 0; i < each; i++) {
                        send(me, new Item(id, i));
                    }
                });
            }
            // Take sender 0's messages first, in order, while everything else piles up behind.
            for (int i = 0; i < each; i++) {
                int want = i;
                assertEquals(want, (int) receive(m -> m instanceof Item(int s, int q) && s == 0 ? q : null));
            }
            int[] next = new int[senders];
            next[0] = each;
            for (int i = 0; i < (senders - 1) * each; i++) {
                Item item = (Item) receive();
                assertEquals(next[item.sender()]++, item.seq());
            }
        });
    }

    @Test
    void platformThreadsSendingConcurrentlyLoseNothing() throws Exception {
        int threads = 8;
        int each = 5_000;
        Pid counter = spawn(() -> {
            Pid replyTo = receive(m -> m instanceof Pid p ? p : null);
            for (int i = 0; i < threads * each; i++) {
                receive(m -> m instanceof Integer ? m : null);
            }
            send(replyTo, "all received");
        });
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    send(counter, i);
                }
            });
            ts.add(th);
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals("all received", run(() -> {
            send(counter, self());
            return receive();
        }));
    }

    @RepeatedTest(3)
    void linkedCrashesUnderLoadLeaveNoProcessesBehind() {
        int before = count();
        run(() -> {
            trapExit(true);
            int groups = 200;
            List<Pid> roots = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                roots.add(spawnLink(() -> {
                    for (int i = 0; i < 5; i++) {
                        spawnLink(() -> receive());
                    }
                    receive(m -> "crash".equals(m) ? m : null);
                    throw new IllegalStateException("planned crash");
                }));
            }
            for (Pid r : roots) {
                send(r, ThreadLocalRandom.current().nextBoolean() ? "crash" : "noise");
            }
            for (Pid r : roots) {
                exit(r, "stop");
            }
            for (int g = 0; g < groups; g++) {
                receive(m -> m instanceof Exit ? m : null);
            }
            trapExit(false);
        });
        awaitCount(before);
    }

    @RepeatedTest(3)
    void slotsFreedOnOneCarrierAndReusedOnAnotherNeverGoToTwoLiveProcesses() {
        // Spawners on both carriers make children that exit at once, so slots are freed on one
        // carrier, donated, and reused on the other; a group of long-lived children stays up
        // meanwhile, and every one of them must stay reachable under its own pid.
        run(() -> {
            Pid me = self();
            int spawners = 8;
            int perSpawner = 20_000;
            for (int s = 0; s < spawners; s++) {
                spawn(() -> {
                    List<Pid> kept = new ArrayList<>();
                    for (int i = 0; i < perSpawner; i++) {
                        Pid child = spawn(() -> {
                            if (receive() instanceof Pid asker) {
                                send(asker, self());
                                receive();
                            }
                        });
                        if (i % 100 == 0) {
                            kept.add(child);
                        } else {
                            send(child, "go away");
                        }
                    }
                    java.util.Set<Pid> distinct = new java.util.HashSet<>(kept);
                    if (distinct.size() != kept.size()) {
                        send(me, "duplicate pids among live children");
                        return;
                    }
                    for (Pid child : kept) {
                        send(child, self());
                        Object answer = receive(Duration.ofSeconds(10), m -> m, () -> "no answer from " + child);
                        if (!child.equals(answer)) {
                            send(me, "asked " + child + ", got " + answer);
                            return;
                        }
                        send(child, "stop");
                    }
                    send(me, "ok");
                });
            }
            for (int s = 0; s < spawners; s++) {
                assertEquals("ok", receive());
            }
        });
    }

    @Test
    void killWhileManySendersHammerTheMailbox() {
        run(() -> {
            for (int round = 0; round < 50; round++) {
                Pid target = spawn(() -> {
                    for (;;) {
                        receive();
                    }
                });
                Ref r = monitor(target);
                for (int s = 0; s < 4; s++) {
                    spawn(() -> {
                        for (int i = 0; i < 1_000; i++) {
                            send(target, i);
                        }
                    });
                }
                exit(target, ExitReason.KILL);
                assertEquals(ExitReason.KILLED, Await.down(r).reason());
            }
        });
    }

    @Test
    void timedReceivesRacingWithSends() {
        run(() -> {
            Pid me = self();
            int n = 2_000;
            for (int i = 0; i < n; i++) {
                int k = i;
                Pid p = spawn(() -> {
                    Object got = receive(Duration.ofMillis(1), m -> m, () -> "timeout");
                    send(me, got.equals("timeout") ? "t" : "m");
                });
                if (k % 2 == 0) {
                    send(p, "msg");
                }
            }
            int answers = 0;
            for (int i = 0; i < n; i++) {
                Object a = receive();
                assertTrue(a.equals("t") || a.equals("m"));
                answers++;
            }
            assertEquals(n, answers);
        });
    }

    /**
     * Waits until the process count is back to {@code expected}, by monitoring what is left over;
     * fails, naming the leftovers, if that takes over 30 s.
     */
    static void awaitCount(int expected) {
        run(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count() > expected + 1) { // +1: this process
                if (System.nanoTime() - deadline > 0) {
                    fail("expected " + expected + " processes after 30 s, but " + (count() - 1) + " are alive, e.g. "
                            + list().stream().limit(5).map(p -> info(p).map(Object::toString).orElse(p.toString())).toList());
                }
                List<Pid> all = list();
                Pid any = all.get(all.size() - 1);
                if (any.equals(self())) {
                    continue;
                }
                Ref r = monitor(any);
                receive(Duration.ofMillis(100), m -> m instanceof Down d && d.ref().equals(r) ? d : null, () -> null);
                demonitor(r, true);
            }
        });
    }
}

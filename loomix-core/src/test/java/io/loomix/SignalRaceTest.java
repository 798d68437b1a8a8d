package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Erlang's signal guarantees where a signal races the target's exit (issue 13), each checked
 * against erl (OTP 25) and repeated many times on both carriers.
 */
class SignalRaceTest {
    private static final int ROUNDS = 2_000;
    /** Rounds that meet a spinner on the other carrier cost a steal (about a millisecond) each. */
    private static final int CARRIER_ROUNDS = 800;

    /** Waits until {@code pid} has finished exiting: its Downs and Exits are all delivered. */
    static void awaitGone(Pid pid) {
        while (info(pid).isPresent() || alive(pid)) {
            Thread.yield();
        }
    }

    /**
     * A process that spins on the other carrier until {@code go}, then runs {@code last}: so the
     * signal under test meets an exit in progress, not one that waits for this carrier.
     */
    static Pid spinner(AtomicBoolean go, Runnable last, boolean link) {
        Pid me = self();
        Runnable body = () -> {
            send(me, "spinning");
            while (!go.get()) {
                Thread.onSpinWait();
            }
            last.run();
        };
        Pid p = link ? spawnLink(body) : spawn(body);
        receive(m -> "spinning".equals(m) ? m : null);
        return p;
    }

    private static Object take(Class<?> type, Object key) {
        return receive(Duration.ZERO, m -> switch (m) {
            case Down d when type == Down.class && d.ref().equals(key) -> d;
            case Exit e when type == Exit.class && e.from().equals(key) -> e;
            default -> null;
        }, () -> null);
    }

    @Test
    void stressDemonitorRacingTheExitLeavesNoLateDown() {
        run(() -> {
            for (int i = 0; i < CARRIER_ROUNDS; i++) {
                AtomicBoolean go = new AtomicBoolean();
                Pid target = spinner(go, () -> {}, false);
                Ref ref = monitor(target);
                go.set(true);
                boolean flush = ThreadLocalRandom.current().nextBoolean();
                boolean active = demonitor(ref, flush);
                Object queuedAtReturn = take(Down.class, ref);
                awaitGone(target);
                Object late = take(Down.class, ref);
                assertNull(late, "a Down arrived after demonitor returned (active=" + active + ", flush=" + flush + ")");
                if (active || flush) {
                    assertNull(queuedAtReturn, "demonitor(ref, flush=" + flush + ") returned " + active + " and left a Down");
                } else {
                    assertNotNull(queuedAtReturn, "demonitor returned false, but no Down is in the mailbox");
                }
            }
        });
    }

    @Test
    void stressUnlinkRacingTheExitLeavesNoLateExit() {
        run(() -> {
            trapExit(true);
            for (int i = 0; i < CARRIER_ROUNDS; i++) {
                AtomicBoolean go = new AtomicBoolean();
                Pid target = spinner(go, () -> {
                    throw exit("boom");
                }, true);
                go.set(true);
                unlink(target);
                take(Exit.class, target); // one queued before unlink returned may stay: Erlang allows it
                awaitGone(target);
                assertNull(take(Exit.class, target), "an Exit arrived after unlink returned");
            }
            trapExit(false);
        });
    }

    @Test
    void stressASecondLinkToAnExitingProcessKeepsTheRealReason() {
        run(() -> {
            trapExit(true);
            for (int i = 0; i < 30; i++) {
                Pid target = spawnLink(() -> {
                    for (int h = 0; h < 1000; h++) {
                        spawnLink(() -> receive()); // a long list of links makes its exit take a while
                    }
                    receive();
                });
                exit(target, ExitReason.KILL);
                while (info(target).map(x -> !x.status().equals("exiting")).orElse(false)) {
                    Thread.yield();
                }
                link(target);
                Exit first = Await.exit(target);
                assertEquals(ExitReason.KILLED, first.reason(), "the first Exit must carry the real reason");
                awaitGone(target);
                Object second = take(Exit.class, target);
                if (second != null) {
                    assertEquals(ExitReason.NOPROC, ((Exit) second).reason());
                }
            }
            trapExit(false);
        });
    }

    @Test
    void stressAMessageSentAfterAnExitSignalIsNeverHandled() {
        run(() -> {
            AtomicBoolean handled = new AtomicBoolean();
            for (int i = 0; i < ROUNDS; i++) {
                Pid me = self();
                Monitored m = spawnMonitor(() -> {
                    send(me, "ready");
                    for (;;) {
                        // No send here: a send would check the pending exit itself.
                        receive(x -> "after the exit".equals(x) ? handledIt(handled) : x);
                    }
                });
                receive(x -> "ready".equals(x) ? x : null); // the target now waits in receive
                if (i % 2 == 0) {
                    send(m.pid(), "warm-up"); // sometimes the target is running its receive loop
                }
                exit(m.pid(), ExitReason.SHUTDOWN);
                send(m.pid(), "after the exit");
                assertEquals(ExitReason.SHUTDOWN, Await.down(m.ref()).reason());
                assertFalse(handled.get(), "the message sent after exit(p, shutdown) was handled");
            }
        });
    }

    private static Object handledIt(AtomicBoolean handled) {
        handled.set(true);
        return "handled";
    }

    @Test
    void stressAfterAKillAWaitingProcessIsNotAliveAndHasNoInfo() {
        run(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                Pid p = spawn(() -> receive());
                exit(p, ExitReason.KILL);
                assertFalse(alive(p), "alive right after exit(p, kill)");
                assertTrue(info(p).isEmpty(), "info right after exit(p, kill)");
            }
        });
    }

    @Test
    void aProcessThatCatchesItsPendingExitAndReturnsExitsWithThatReason() {
        run(() -> {
            for (ExitReason reason : new ExitReason[] {ExitReason.KILL, ExitReason.SHUTDOWN}) {
                Monitored m = spawnMonitor(() -> {
                    try {
                        receive();
                    } catch (Throwable caught) {
                        // swallowed: the process returns normally
                    }
                });
                exit(m.pid(), reason);
                ExitReason want = reason == ExitReason.KILL ? ExitReason.KILLED : reason;
                assertEquals(want, Await.down(m.ref()).reason());
            }
        });
    }

    @Test
    void aKillThatInterruptsASleepIsKilledWhateverTheCodeThrows() {
        run(() -> {
            Pid me = self();
            Monitored m = spawnMonitor(() -> {
                send(me, "sleeping");
                try {
                    Thread.sleep(Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    throw new RuntimeException("sleep interrupted");
                }
            });
            receive(x -> "sleeping".equals(x) ? x : null);
            exit(m.pid(), ExitReason.KILL);
            assertEquals(ExitReason.KILLED, Await.down(m.ref()).reason());
        });
    }

    @Test
    void aKillIsFinalForAProcessThatCatchesThrowableInALoop() {
        AtomicBoolean stop = new AtomicBoolean();
        try {
            run(() -> {
                trapExit(true);
                Pid me = self();
                Pid p = spawnLink(() -> {
                    register("stubborn", self());
                    send(me, "ready");
                    while (!stop.get()) {
                        try {
                            receive(Duration.ofMillis(1), x -> x, () -> null);
                        } catch (Throwable caught) {
                            // a kill must not be survivable, even so
                        }
                    }
                });
                receive(x -> "ready".equals(x) ? x : null);
                Ref ref = monitor(p);
                exit(p, ExitReason.KILL);
                assertEquals(ExitReason.KILLED, Await.down(ref).reason());
                assertEquals(ExitReason.KILLED, Await.exit(p).reason());
                assertFalse(alive(p));
                assertTrue(info(p).isEmpty());
                assertTrue(whereis("stubborn").isEmpty(), "the name of a killed process is free");
                trapExit(false);
            });
        } finally {
            stop.set(true);
        }
    }
}

package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /** The longest a spinner spins if its test fails before it sets the spinner's go flag. */
    private static final Duration SPIN_BOUND = Duration.ofSeconds(20);

    /** Waits until {@code pid} has finished exiting: its Downs and Exits are all delivered. */
    static void awaitGone(Pid pid) {
        long deadline = System.nanoTime() + SPIN_BOUND.toNanos();
        while (info(pid).isPresent() || alive(pid)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(pid + " still has info or is alive after " + SPIN_BOUND);
            }
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
            // No yield point here (a signal must meet a process that is running), so nothing can
            // stop this loop but go: the bound keeps a failed test from holding a carrier for good.
            long deadline = System.nanoTime() + SPIN_BOUND.toNanos();
            while (!go.get() && System.nanoTime() - deadline < 0) {
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
    void stressUnlinkingManyExitingProcessesLeavesNoLateExit() {
        // Many exits on the other carrier while this process unlinks them one by one.
        run(() -> {
            trapExit(true);
            for (int round = 0; round < 150; round++) {
                AtomicBoolean go = new AtomicBoolean();
                List<Pid> targets = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    // These yield while they wait: sixteen that did not would hold both carriers.
                    targets.add(spawnLink(() -> {
                        while (!go.get()) {
                            Thread.yield();
                        }
                        throw exit("boom");
                    }));
                }
                go.set(true);
                for (Pid target : targets) {
                    unlink(target);
                    take(Exit.class, target);
                }
                for (Pid target : targets) {
                    awaitGone(target);
                    assertNull(take(Exit.class, target), "an Exit arrived after unlink returned");
                }
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
    void stressMonitorAndLinkAfterAKillFromTheSameSenderGiveNoproc() {
        // erl: exit(P, kill), monitor(process, P) -> {'DOWN', _, process, P, noproc}
        run(() -> {
            trapExit(true);
            for (int i = 0; i < 500; i++) {
                Pid p = spawn(() -> receive());
                exit(p, ExitReason.KILL);
                Ref ref = monitor(p);
                assertEquals(ExitReason.NOPROC, Await.down(ref).reason());
                link(p);
                assertEquals(ExitReason.NOPROC, Await.exit(p).reason());
            }
            trapExit(false);
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

    // ---- ported from erts/emulator/test/signal_SUITE.erl ----

    /** xm_sig_order: three messages, an exit signal, three more; the last three are never taken. */
    @Test
    void stressXmSigOrder() {
        run(() -> {
            for (int i = 0; i < 1000; i++) {
                Monitored m = spawnMonitor(() -> {
                    for (;;) {
                        Object msg = receive(Duration.ZERO, x -> x, () -> "none");
                        if (msg.equals("may_not_reach")) {
                            throw exit("bad_signal_order");
                        }
                    }
                });
                for (int k = 0; k < 3; k++) {
                    send(m.pid(), "may_reach");
                }
                exit(m.pid(), "good_signal_order");
                for (int k = 0; k < 3; k++) {
                    send(m.pid(), "may_not_reach");
                }
                assertEquals(new ExitReason.Term("good_signal_order"), Await.down(m.ref()).reason());
            }
        });
    }

    /** pending_exit_is_process_alive / pending_exit_process_info_1, on a process that is running. */
    @Test
    void aRunningProcessWithAPendingExitIsNotAliveAndHasNoInfo() {
        run(() -> {
            for (int i = 0; i < 100; i++) {
                AtomicBoolean go = new AtomicBoolean();
                Pid p = spinner(go, () -> receive(), false);
                Ref ref = monitor(p);
                exit(p, "bang");
                assertFalse(alive(p));
                assertTrue(info(p).isEmpty());
                go.set(true); // its receive is the yield point where the signal takes effect
                assertEquals(new ExitReason.Term("bang"), Await.down(ref).reason());
            }
        });
    }

    /** exit_before_pending_exit: a process that exits by itself before it looks keeps its own reason. */
    @Test
    void anOwnExitBeforeThePendingOneIsSeenKeepsItsReason() {
        run(() -> {
            AtomicBoolean go = new AtomicBoolean();
            Pid p = spinner(go, () -> {
                throw exit("exited_by_myself");
            }, false);
            Ref ref = monitor(p);
            exit(p, "exited_by_exiter");
            go.set(true);
            assertEquals(new ExitReason.Term("exited_by_myself"), Await.down(ref).reason());
        });
    }

    /** kill2killed: a kill travels a line of links as killed; exit(kill) by the process itself as kill. */
    @Test
    void kill2killed() {
        run(() -> {
            trapExit(true);
            for (String type : new String[] {"other_exit2", "exit2", "exit1"}) {
                for (int n : new int[] {1, 2, 9, 10}) {
                    Pid me = self();
                    Pid head = spawnLink(() -> line(type, n, me));
                    if (type.equals("other_exit2")) {
                        Pid end = receive(m -> m instanceof Pid e ? e : null);
                        exit(end, ExitReason.KILL);
                    }
                    ExitReason want = type.equals("exit1") ? ExitReason.KILL : ExitReason.KILLED;
                    assertEquals(want, Await.exit(head).reason(), type + " over " + n);
                }
            }
            trapExit(false);
        });
    }

    private static void line(String type, int n, Pid tester) {
        if (n == 0) {
            switch (type) {
                case "other_exit2" -> {
                    send(tester, self());
                    receive();
                }
                case "exit2" -> exit(self(), ExitReason.KILL);
                default -> throw exit(ExitReason.KILL);
            }
            return;
        }
        spawnLink(() -> line(type, n - 1, tester));
        receive();
    }

    // ---- ported from erts/emulator/test/process_SUITE.erl ----

    record YouAreDead() {}

    /** exit_and_timeout: an exit signal meets the timeout of the receive it interrupts; the signal wins. */
    @Test
    void stressExitAndTimeout() {
        run(() -> {
            for (int i = 0; i < 300; i++) {
                Monitored low = spawnMonitor(() -> {
                    receive(Duration.ofNanos(200_000), m -> null, () -> null);
                    receive(Duration.ofNanos(200_000), m -> m, () -> null);
                });
                int spin = ThreadLocalRandom.current().nextInt(20_000);
                for (int k = 0; k < spin; k++) {
                    Thread.onSpinWait();
                }
                exit(low.pid(), new YouAreDead());
                ExitReason reason = Await.down(low.ref()).reason();
                // It may have finished both receives before the signal came: then it exited normally.
                if (reason != ExitReason.NORMAL) {
                    assertEquals(new ExitReason.Term(new YouAreDead()), reason);
                }
            }
        });
    }
}

package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * erlang:hibernate/3: the stack (and the thread) goes, the process stays. Each case as erl (OTP 25)
 * behaves: a message wakes it, links, monitors, name and trap_exit survive, signals reach it.
 */
class HibernateTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    record Count(Pid from) {}

    /** Waits until {@code pid} is hibernated: its stack is then empty (a waiting one has frames). */
    static void awaitHibernated(Pid pid) {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (!stacktrace(pid).map(List::isEmpty).orElse(false)) {
            assertTrue(System.nanoTime() < end, pid + " did not hibernate within " + LIMIT);
            sleep(Duration.ofMillis(1));
        }
    }

    /** Counts the messages it gets, hibernating between them; answers Count with the count so far. */
    static void counter(int count) {
        if (receive() instanceof Count(Pid from)) {
            send(from, count);
        }
        throw hibernate(() -> counter(count + 1));
    }

    @Test
    void theThreadEndsAndTheNextMessageResumesOnANewOne() throws Exception {
        CompletableFuture<Thread> before = new CompletableFuture<>();
        run(() -> {
            Pid me = self();
            Pid p = spawn(() -> {
                before.complete(Thread.currentThread());
                throw hibernate(() -> send(me, List.of("woke", receive(), Thread.currentThread() != before.join())));
            });
            Thread first = before.get(10, TimeUnit.SECONDS);
            assertTrue(first.join(LIMIT), "the thread of a hibernated process must end");
            assertTrue(alive(p));
            assertEquals("waiting", info(p).orElseThrow().status());
            assertEquals(List.of(), stacktrace(p).orElseThrow());
            send(p, "hello");
            assertEquals(List.of("woke", "hello", true), receive(LIMIT, m -> m, () -> "no reply"));
            return null;
        });
    }

    @Test
    void aMessageQueuedBeforeHibernatingWakesItAtOnce() {
        run(() -> {
            Pid me = self();
            spawn(() -> {
                send(self(), "already here");
                throw hibernate(() -> send(me, receive()));
            });
            assertEquals("already here", receive(LIMIT, m -> m, () -> "no reply"));
        });
    }

    @Test
    void aCounterThatHibernatesBetweenMessagesKeepsItsStateInTheClosure() {
        run(() -> {
            Pid c = spawn(() -> counter(0));
            for (int i = 0; i < 100; i++) {
                send(c, "tick");
            }
            send(c, new Count(self()));
            assertEquals(100, (int) receive(LIMIT, m -> m instanceof Integer n ? n : null, () -> -1));
            exit(c, ExitReason.KILL);
        });
    }

    @Test
    void linksMonitorsNameAndTrapExitSurviveAndSignalsReachIt() {
        run(() -> {
            trapExit(true);
            Pid me = self();
            Atom name = Atom.of("hibernate_test_server");
            Pid p = spawnLink(() -> {
                trapExit(true);
                register(name, self());
                send(me, "registered");
                throw hibernate(() -> {
                    send(me, receive()); // the Exit of the linked process that died
                    throw hibernate(() -> {
                        receive();
                        throw exit("boom");
                    });
                });
            });
            Ref mon = monitor(p);
            receive(m -> "registered".equals(m) ? m : null);
            Pid partner = spawn(() -> {
                link(p);
                send(me, "linked");
                receive();
            });
            receive(m -> "linked".equals(m) ? m : null);
            awaitHibernated(p);
            assertEquals(Optional(p), whereis(name));
            assertTrue(info(p).orElseThrow().trapExit());
            assertTrue(info(p).orElseThrow().links().containsAll(List.of(me, partner)));
            exit(partner, "bye"); // p traps exits: the signal becomes a message, which wakes it
            assertEquals(new Exit(partner, new ExitReason.Term("bye")), receive(LIMIT, m -> m instanceof Exit e
                    && !e.from().equals(p) ? e : null, () -> null));
            awaitHibernated(p);
            assertEquals(Optional(p), whereis(name));
            send(name, "wake up by name");
            assertEquals(new ExitReason.Term("boom"), receive(LIMIT, m -> m instanceof Down d && d.ref().equals(mon)
                    ? d.reason() : null, () -> null));
            assertEquals(new Exit(p, new ExitReason.Term("boom")), receive(LIMIT, m -> m instanceof Exit e
                    && e.from().equals(p) ? e : null, () -> null));
            assertTrue(whereis(name).isEmpty());
            trapExit(false);
        });
    }

    private static java.util.Optional<Pid> Optional(Pid p) {
        return java.util.Optional.of(p);
    }

    @Test
    void killedWhileHibernatedItDiesWithoutRunningItsResume() {
        run(() -> {
            AtomicBoolean resumed = new AtomicBoolean();
            Monitored m = spawnMonitor(() -> {
                throw hibernate(() -> resumed.set(true));
            });
            awaitHibernated(m.pid());
            exit(m.pid(), ExitReason.KILL);
            assertEquals(ExitReason.KILLED, Await.down(m.ref()).reason());
            assertFalse(resumed.get());
            assertFalse(alive(m.pid()));
        });
    }

    @Test
    void anExitSignalWithoutTrapKillsAHibernatedProcessWithItsReason() {
        run(() -> {
            Monitored m = spawnMonitor(() -> {
                throw hibernate(() -> receive());
            });
            awaitHibernated(m.pid());
            exit(m.pid(), "shutdown_now");
            assertEquals(new ExitReason.Term("shutdown_now"), Await.down(m.ref()).reason());
        });
    }

    @Test
    void theResumeReturningExitsNormallyAndThrowingCrashes() {
        run(() -> {
            Monitored ok = spawnMonitor(() -> {
                throw hibernate(() -> receive());
            });
            send(ok.pid(), "go");
            assertEquals(ExitReason.NORMAL, Await.down(ok.ref()).reason());
            Monitored bad = spawnMonitor(() -> {
                throw hibernate(() -> {
                    receive();
                    throw new IllegalStateException("resumed and failed");
                });
            });
            send(bad.pid(), "go");
            ExitReason reason = Await.down(bad.ref()).reason();
            assertEquals("resumed and failed", assertInstanceOf(ExitReason.Crash.class, reason).error().getMessage());
        });
    }

    @Test
    void hibernateInsideAReceiveClauseIsRefused() {
        run(() -> {
            send(self(), "x");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> receive(m -> hibernate(() -> {})));
            assertTrue(e.getMessage().contains("hibernate"), e.getMessage());
        });
    }

    @Test
    void hibernateInTheBodyOfRunIsAnErrorThatSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(() -> {
            throw hibernate(() -> {});
        }));
        assertTrue(e.getMessage().contains("spawn"), e.getMessage());
    }

    @Test
    void aCatchThatSwallowsTheHibernationCancelsIt() {
        run(() -> {
            Pid me = self();
            spawn(() -> {
                try {
                    throw hibernate(() -> send(me, "resumed"));
                } catch (Error swallowed) {
                    send(me, "still on the first thread");
                }
            });
            assertEquals("still on the first thread", receive(LIMIT, m -> m, () -> "nothing"));
        });
    }

    @Test
    void hibernateOutsideAProcessSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> hibernate(() -> {}));
        assertTrue(e.getMessage().contains("inside a Loomix process"), e.getMessage());
    }

    /**
     * Many counters hibernate between messages while several senders hit them at once: every
     * message wakes its counter exactly once (no message lost between the hibernating thread's end
     * and the sender's look at the state, no counter run twice), on both carriers.
     */
    @Test
    void stressManyHibernatingProcessesWokenConcurrently() {
        int counters = 500;
        int senders = 8;
        int perSender = 50;
        for (int round = 0; round < 5; round++) {
            run(() -> {
                List<Pid> cs = new ArrayList<>();
                for (int i = 0; i < counters; i++) {
                    Pid c = spawn(() -> counter(0));
                    cs.add(c);
                }
                Pid me = self();
                for (int s = 0; s < senders; s++) {
                    spawn(() -> {
                        for (int k = 0; k < perSender; k++) {
                            for (Pid c : cs) {
                                send(c, "tick");
                            }
                        }
                        send(me, "sent");
                    });
                }
                for (int s = 0; s < senders; s++) {
                    receive(LIMIT, m -> "sent".equals(m) ? m : null, () -> fail("a sender did not finish"));
                }
                for (Pid c : cs) {
                    send(c, new Count(me));
                    int n = receive(LIMIT, m -> m instanceof Integer i ? i : null, () -> -1);
                    assertEquals(senders * perSender, n, "messages counted by " + c);
                    exit(c, ExitReason.KILL);
                }
            });
        }
    }

    /**
     * Processes killed at any point of hibernating (before, during, after the thread ends) while
     * messages wake them: each dies exactly once, its monitor fires with killed and its linked
     * trapping partner gets the Exit; none is left in the process table.
     */
    @Test
    void stressKilledWhileHibernatingLinksAndMonitorsFire() {
        int n = 1_000;
        for (int round = 0; round < 5; round++) {
            run(() -> {
                trapExit(true);
                List<Monitored> ms = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Monitored m = spawnMonitor(() -> counter(0));
                    link(m.pid());
                    ms.add(m);
                }
                Pid waker = spawn(() -> {
                    for (int k = 0; k < 20; k++) {
                        for (Monitored m : ms) {
                            send(m.pid(), "tick");
                        }
                    }
                });
                for (Monitored m : ms) {
                    exit(m.pid(), ExitReason.KILL);
                }
                for (Monitored m : ms) {
                    assertEquals(ExitReason.KILLED, receive(LIMIT, msg -> msg instanceof Down d && d.ref().equals(m.ref())
                            ? d.reason() : null, () -> null), "Down of " + m.pid());
                    assertEquals(ExitReason.KILLED, receive(LIMIT, msg -> msg instanceof Exit e && e.from().equals(m.pid())
                            ? e.reason() : null, () -> null), "Exit of " + m.pid());
                    assertFalse(alive(m.pid()));
                }
                exit(waker, ExitReason.KILL);
                trapExit(false);
            });
        }
    }
}

package io.loomix;

import org.junit.jupiter.api.Test;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Links and exit signals; each case checked against erl (OTP 25). */
class LinkTest {
    record Go() {}

    @Test
    void normalExitOfLinkedProcessLeavesNonTrappingPartnerAlive() {
        run(() -> {
            Monitored watcher = spawnMonitor(() -> {
                Pid child = spawnLink(() -> receive());
                send(child, "go");
                Ref r = monitor(child);
                Await.down(r);
                send(self(), "still alive");
                receive(m -> "still alive".equals(m) ? m : null);
            });
            assertEquals(ExitReason.NORMAL, Await.down(watcher.ref()).reason());
        });
    }

    @Test
    void trappingProcessGetsExitNormal() {
        run(() -> {
            trapExit(true);
            Pid child = spawnLink(() -> {});
            assertEquals(new Exit(child, ExitReason.NORMAL), Await.exit(child));
            trapExit(false);
        });
    }

    @Test
    void crashKillsLinkedNonTrappingProcessWithSameReason() {
        run(() -> {
            Monitored parent = spawnMonitor(() -> {
                spawnLink(() -> {
                    throw new IllegalStateException("boom");
                });
                receive(); // never returns: the link kills us
            });
            ExitReason reason = Await.down(parent.ref()).reason();
            assertInstanceOf(ExitReason.Crash.class, reason);
            assertEquals("boom", ((ExitReason.Crash) reason).error().getMessage());
        });
    }

    @Test
    void crashReachesTrappingProcessAsExitMessage() {
        run(() -> {
            trapExit(true);
            Pid child = spawnLink(() -> {
                throw exit("bad");
            });
            assertEquals(new ExitReason.Term("bad"), Await.exit(child).reason());
            trapExit(false);
        });
    }

    @Test
    void exitNormalToNonTrappingProcessIsIgnored() {
        run(() -> {
            Pid p = spawn(() -> receive(m -> m instanceof Go ? m : null));
            Ref r = monitor(p);
            exit(p, ExitReason.NORMAL);
            send(p, new Go());
            assertEquals(ExitReason.NORMAL, Await.down(r).reason());
        });
    }

    @Test
    void exitSelfNormalKillsTheCaller() {
        run(() -> {
            Monitored m = spawnMonitor(() -> {
                exit(self(), ExitReason.NORMAL);
                receive();
            });
            assertEquals(ExitReason.NORMAL, Await.down(m.ref()).reason());
        });
    }

    @Test
    void killCannotBeTrappedAndLinksSeeKilled() {
        run(() -> {
            trapExit(true);
            Pid victim = spawnLink(() -> {
                trapExit(true);
                receive(m -> false ? m : null);
            });
            Ref r = monitor(victim);
            exit(victim, ExitReason.KILL);
            assertEquals(ExitReason.KILLED, Await.down(r).reason());
            assertEquals(ExitReason.KILLED, Await.exit(victim).reason());
            trapExit(false);
        });
    }

    @Test
    void exitKillFromTheProcessItselfPropagatesAsPlainKill() {
        run(() -> {
            trapExit(true);
            Pid p = spawnLink(() -> {
                throw exit(ExitReason.KILL);
            });
            assertEquals(ExitReason.KILL, Await.exit(p).reason());
            // ... and a plain kill via a link kills a non-trapping process, which then exits with kill.
            Monitored outer = spawnMonitor(() -> {
                spawnLink(() -> {
                    throw exit(ExitReason.KILL);
                });
                receive();
            });
            assertEquals(ExitReason.KILL, Await.down(outer.ref()).reason());
            trapExit(false);
        });
    }

    @Test
    void abnormalExitSignalKillsNonTrappingTarget() {
        run(() -> {
            Pid p = spawn(() -> receive());
            Ref r = monitor(p);
            exit(p, ExitReason.SHUTDOWN);
            assertEquals(ExitReason.SHUTDOWN, Await.down(r).reason());
            Pid q = spawn(() -> receive());
            Ref rq = monitor(q);
            exit(q, new ExitReason.Shutdown(Atom.of("x")));
            assertEquals(new ExitReason.Shutdown(Atom.of("x")), Await.down(rq).reason());
        });
    }

    @Test
    void linkToDeadPidRaisesNoprocUnlessTrapping() {
        run(() -> {
            Monitored dead = spawnMonitor(() -> {});
            Await.down(dead.ref());
            assertThrows(NoProcException.class, () -> link(dead.pid()));
            trapExit(true);
            link(dead.pid());
            assertEquals(new Exit(dead.pid(), ExitReason.NOPROC), Await.exit(dead.pid()));
            trapExit(false);
        });
    }

    @Test
    void unlinkStopsSignalsButKeepsQueuedExits() {
        run(() -> {
            trapExit(true);
            Pid a = spawnLink(() -> {
                throw exit("first");
            });
            Ref ra = monitor(a);
            Await.down(ra);
            unlink(a);
            assertEquals(new ExitReason.Term("first"), Await.exit(a).reason());

            Pid b = spawnLink(() -> receive(m -> m instanceof Go ? m : null));
            unlink(b);
            Ref rb = monitor(b);
            send(b, new Go());
            Await.down(rb);
            assertEquals("none", receive(20, m -> m instanceof Exit ? "exit" : null, () -> "none"));
            trapExit(false);
        });
    }

    @Test
    void messagesBeforeAnExitSignalArriveFirst() {
        run(() -> {
            trapExit(true);
            Pid me = self();
            Pid p = spawnLink(() -> {
                for (int i = 0; i < 100; i++) {
                    send(me, i);
                }
                throw exit("done");
            });
            for (int i = 0; i < 100; i++) {
                assertEquals(i, receive());
            }
            assertEquals(new Exit(p, new ExitReason.Term("done")), receive());
            trapExit(false);
        });
    }

    @Test
    void linkToSelfIsANoOp() {
        run(() -> {
            link(self());
            assertTrue(info(self()).orElseThrow().links().isEmpty());
        });
    }
}

package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Spawn, send and receive, as Erlang does them. */
class ProcessTest {
    record Ping(Pid from) {}

    record Tagged(int n) {}

    @Test
    void spawnedProcessAnswers() {
        String answer = run(() -> {
            Pid echo = spawn(() -> {
                Object msg = receive();
                if (msg instanceof Ping(Pid from)) {
                    send(from, "pong from " + self());
                }
            });
            send(echo, new Ping(self()));
            return (String) receive();
        });
        assertTrue(answer.startsWith("pong from <0."), answer);
    }

    @Test
    void sendReturnsTheMessage() {
        run(() -> {
            Tagged t = new Tagged(1);
            assertSame(t, send(self(), t));
            assertEquals(t, receive());
        });
    }

    @Test
    void messagesFromOneSenderArriveInOrder() {
        List<Integer> got = run(() -> {
            Pid me = self();
            spawn(() -> {
                for (int i = 0; i < 10_000; i++) {
                    send(me, i);
                }
            });
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                out.add((Integer) receive());
            }
            return out;
        });
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i));
        }
    }

    @Test
    void selectiveReceiveTakesOldestMatchAndKeepsTheRestInOrder() {
        run(() -> {
            Pid me = self();
            send(me, "a");
            send(me, new Tagged(1));
            send(me, "b");
            send(me, new Tagged(2));
            send(me, "c");
            Integer second = receive(m -> m instanceof Tagged(int n) && n == 2 ? n : null);
            assertEquals(2, second);
            Integer first = receive(m -> m instanceof Tagged(int n) ? n : null);
            assertEquals(1, first);
            assertEquals(List.of("a", "b", "c"), flush());
        });
    }

    @Test
    void selectiveReceiveWaitsForAMatchingMessage() {
        run(() -> {
            Pid me = self();
            spawn(() -> {
                send(me, "noise");
                send(me, new Tagged(7));
            });
            assertEquals(7, (int) receive(m -> m instanceof Tagged(int n) ? n : null));
            assertEquals("noise", receive());
        });
    }

    @Test
    void receiveTimesOutWithAfterValue() {
        run(() -> {
            send(self(), "unrelated");
            String r = receive(Duration.ofMillis(20), m -> m instanceof Tagged ? "tagged" : null, () -> "timeout");
            assertEquals("timeout", r);
            assertEquals(List.of("unrelated"), flush());
        });
    }

    @Test
    void zeroTimeoutPollsWithoutWaiting() {
        run(() -> {
            assertEquals("empty", receive(0, m -> m, () -> "empty"));
            send(self(), "x");
            assertEquals("x", receive(0, m -> m, () -> "empty"));
        });
    }

    @Test
    void negativeTimeoutIsRejectedLikeErlangsTimeoutValue() {
        run(() -> {
            var e = assertThrows(IllegalArgumentException.class, () -> receive(-1, m -> m, () -> "x"));
            assertTrue(e.getMessage().contains("timeout_value"), e.getMessage());
        });
    }

    @Test
    void aThrowingClauseConsumesTheMessage() {
        run(() -> {
            send(self(), "boom");
            send(self(), "next");
            assertThrows(IllegalStateException.class, () -> receive(m -> {
                throw new IllegalStateException("clause failed on " + m);
            }));
            assertEquals("next", receive());
        });
    }

    @Test
    void sendToDeadPidIsDropped() {
        run(() -> {
            Monitored m = spawnMonitor(() -> {});
            receive(msg -> msg instanceof Down d && d.ref().equals(m.ref()) ? d : null);
            assertEquals("hi", send(m.pid(), "hi"));
            assertFalse(alive(m.pid()));
        });
    }

    @Test
    void nullsAreRejectedWithClearMessages() {
        run(() -> {
            // A null where Erlang has a term is badarg; a null function is a Java mistake (NPE).
            var e = assertThrows(IllegalArgumentException.class, () -> send(self(), null));
            assertTrue(e.getMessage().contains("badarg: message must not be null"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> send((Pid) null, "x"));
            assertThrows(NullPointerException.class, () -> spawn(null));
        });
    }

    @Test
    void selfOutsideAProcessSaysWhatToDo() {
        var e = assertThrows(IllegalStateException.class, Process::self);
        assertTrue(e.getMessage().contains("Process.run"), e.getMessage());
    }

    @Test
    void runReturnsValueAndRethrowsFailures() {
        assertEquals(42, run(() -> 42));
        var e = assertThrows(ProcessFailedException.class, () -> run(() -> {
            throw exit("boom");
        }));
        assertEquals(new ExitReason.Term("boom"), e.reason());
        assertThrows(ArithmeticException.class, () -> run(() -> 1 / zero()));
    }

    private static int zero() {
        return 0;
    }

    @Test
    void pidsAreValuesThatPrintLikeErlang() {
        run(() -> {
            Pid me = self();
            assertEquals(me, new Pid(me.node(), me.id(), me.serial(), me.creation()));
            assertTrue(me.toString().matches("<0\\.\\d+\\.\\d+>"), me.toString());
            Ref ref = makeRef();
            assertTrue(ref.toString().startsWith("#Ref<0."), ref.toString());
            assertNotEquals(ref, makeRef());
        });
    }

    @Test
    void sleepWaitsWithoutTakingMessages() {
        run(() -> {
            send(self(), "kept");
            sleep(Duration.ofMillis(5));
            assertEquals(List.of("kept"), flush());
        });
    }

    @Test
    void aReceiveInsideAClauseIsRefusedWithAClearError() {
        run(() -> {
            send(self(), "outer");
            var e = assertThrows(IllegalStateException.class, () -> receive(m -> receive()));
            assertTrue(e.getMessage().contains("inside a receive clause"), e.getMessage());
            send(self(), "again");
            var f = assertThrows(IllegalStateException.class, () -> receive(m -> flush()));
            assertTrue(f.getMessage().startsWith("flush was called inside a receive clause"), f.getMessage());
            assertEquals(List.of(), flush(), "each refused clause consumed its message, as a throwing clause does");
            send(self(), "after");
            assertEquals("after", receive(), "receive works again afterwards");
            send(self(), "sleepy");
            assertEquals("slept", receive(m -> {
                sleep(Duration.ofMillis(1)); // takes no message, so it may nest
                return "slept";
            }));
            send(self(), "twice");
            assertThrows(IllegalStateException.class, () -> receive(m -> {
                sleep(Duration.ZERO);
                return receive(); // still refused after a nested sleep
            }));
        });
    }

    @Test
    void exitReasonsGivenAsStringsStayStrings() {
        // erl: exit(lists:duplicate(300, $a)) -> the reason is that string; no atom is made
        run(() -> {
            String text = "x".repeat(300);
            Monitored m = spawnMonitor(() -> {
                throw exit(text);
            });
            assertEquals(new ExitReason.Term(text), Await.down(m.ref()).reason());
            assertEquals(ExitReason.SHUTDOWN, ExitReason.of("shutdown"), "the named reasons keep their canonical form");
        });
    }

    @Test
    void yieldAndNode() {
        run(() -> {
            Process.yield();
            assertEquals(Atom.of("nonode@nohost"), node());
            assertEquals(self().node(), node());
        });
    }

    @Test
    void badArgumentsAreBadargNotNullPointers() {
        run(() -> {
            for (Runnable bad : List.<Runnable>of(
                    () -> register("x", null), () -> register((Atom) null, self()), () -> whereis((Atom) null),
                    () -> unregister((Atom) null), () -> link((Pid) null), () -> unlink((Pid) null), () -> monitor((Pid) null),
                    () -> demonitor(null), () -> exit((Pid) null, ExitReason.KILL), () -> alive(null), () -> info(null),
                    () -> send((Ref) null, "x"), () -> cancelTimer(null), () -> readTimer(null), () -> unalias(null))) {
                var e = assertThrows(IllegalArgumentException.class, bad::run);
                assertTrue(e.getMessage().startsWith("badarg: "), e.getMessage());
            }
            var after = assertThrows(NullPointerException.class, () -> receive(Duration.ZERO, m -> m, null));
            assertTrue(after.getMessage().contains("after supplier must not be null"), after.getMessage());
        });
    }
}

package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.loomix.Process.*;
import static io.loomix.otp.Probe.*;
import static org.junit.jupiter.api.Assertions.*;

class GenServerTest {
    record Inc() {}

    record Get() {}

    record Boom() {}

    record Hold() {}

    record ReleaseHeld(Object value) {}

    record Stopped(ExitReason reason, Object state) {}

    /** The talk's counter, plus a few hooks for the tests. */
    static final class Counter extends GenServer<Integer> {
        private final int start;
        private final Pid observer;

        Counter(int start, Pid observer) {
            this.start = start;
            this.observer = observer;
        }

        Counter() {
            this(0, null);
        }

        @Override
        protected Init<Integer> init() {
            return ok(start);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return switch (request) {
                case Get g -> reply(n, n);
                case Boom b -> throw new IllegalStateException("boom at " + n);
                case String s when s.equals("stop") -> stop(ExitReason.NORMAL, "bye", n);
                default -> noReply(n); // never answered: lets tests time out
            };
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            return switch (request) {
                case Inc i -> noReply(n + 1);
                case Boom b -> throw new IllegalStateException("cast boom");
                default -> noReply(n);
            };
        }

        @Override
        protected void terminate(ExitReason reason, Integer n) {
            if (observer != null) {
                send(observer, new Stopped(reason, n));
            }
        }
    }

    @Test
    void counterCastsAndCalls() {
        run(() -> {
            Pid counter = GenServer.start(new Counter());
            GenServer.cast(counter, new Inc());
            GenServer.cast(counter, new Inc());
            int n = GenServer.call(counter, new Get());
            assertEquals(2, n);
        });
    }

    @Test
    void callToADeadServerExitsTheCallerWithNoproc() {
        run(() -> {
            Pid counter = GenServer.start(new Counter());
            GenServer.stop(counter);
            CallFailed f = callFailure(exitReasonOf(() -> GenServer.call(counter, new Get())));
            assertEquals(ExitReason.NOPROC, f.reason());
            assertEquals("GenServer.call", f.function());
            assertEquals(List.of(counter, new Get(), 5000L), f.args());
            assertEquals(ExitReason.NOPROC, callFailure(exitReasonOf(() -> GenServer.call("nobody_by_that_name", new Get()))).reason());
        });
    }

    @Test
    void callTimeoutExitsTheCallerNamingTheCall() {
        run(() -> {
            Pid counter = GenServer.start(new Counter());
            CallFailed f = callFailure(exitReasonOf(() -> GenServer.call(counter, new Hold(), Duration.ofMillis(20))));
            assertEquals(ExitReason.of(Atom.of("timeout")), f.reason());
            assertEquals(List.of(counter, new Hold(), 20L), f.args());
            assertEquals("{timeout,{GenServer,call,[" + counter + ",Hold[],20]}}", f.toString());
            assertTrue(alive(counter), "a call timeout does not harm the server");
        });
    }

    /** A server that keeps callers waiting until told to answer them all. */
    static final class Deferring extends GenServer<List<From>> {
        @Override
        protected Init<List<From>> init() {
            return ok(List.of());
        }

        @Override
        protected CallResult<List<From>> handleCall(Object request, From from, List<From> waiting) {
            if (request instanceof Get) {
                return reply("sync", waiting);
            }
            List<From> more = new ArrayList<>(waiting);
            more.add(from);
            return noReply(List.copyOf(more));
        }

        @Override
        protected Result<List<From>> handleCast(Object request, List<From> waiting) {
            ReleaseHeld r = (ReleaseHeld) request;
            waiting.forEach(from -> from.reply(r.value()));
            return noReply(List.of());
        }
    }

    @Test
    void deferredRepliesAnswerLater() {
        run(() -> {
            Pid server = GenServer.start(new Deferring());
            Pid me = self();
            for (int i = 0; i < 3; i++) {
                spawn(() -> send(me, GenServer.<String>call(server, new Hold())));
            }
            // Every caller waits in the server once the server answers this later call.
            while (Sys.<List<From>>getState(server).size() < 3) {
                receive(Duration.ofMillis(1), m -> null, () -> null);
            }
            GenServer.cast(server, new ReleaseHeld("later"));
            for (int i = 0; i < 3; i++) {
                assertEquals("later", receive(m -> m instanceof String s ? s : null));
            }
        });
    }

    @Test
    void aLateReplyNeverLandsInTheCallersMailbox() {
        run(() -> {
            Pid server = GenServer.start(new Deferring());
            Throwable timedOut = null;
            try {
                GenServer.call(server, new Hold(), Duration.ofMillis(10));
            } catch (Throwable e) { // the call's exit, caught as Elixir's catch :exit would
                timedOut = e;
            }
            assertEquals(ExitReason.of(Atom.of("timeout")), callFailure(io.loomix.Process.exitReasonOf(timedOut)).reason(),
                    "the call must have timed out, and failed with: " + timedOut);
            GenServer.cast(server, new ReleaseHeld("too late"));
            assertEquals("sync", GenServer.call(server, new Get())); // the late reply was sent before this one
            assertEquals(List.of(), flush());
        });
    }

    @Test
    void aServerThatDiesDuringACallExitsTheCallerWithItsReason() {
        run(() -> {
            trapExit(true);
            Pid counter = GenServer.startLink(new Counter());
            CallFailed f = callFailure(exitReasonOf(() -> GenServer.call(counter, new Boom())));
            assertInstanceOf(ExitReason.Crash.class, f.reason());
            assertEquals("boom at 0", ((ExitReason.Crash) f.reason()).error().getMessage());
            Exit e = receive(m -> m instanceof Exit x ? x : null);
            assertEquals(counter, e.from());
            assertEquals(f.reason(), e.reason());
        });
    }

    @Test
    void aCrashInACallbackRunsTerminateAndLogsAStructuredCrashReport() {
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger("io.loomix.otp.GenServer");
        Handler handler = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            run(() -> {
                Pid counter = GenServer.start(new Counter(41, self()), "crashing_counter");
                Ref m = monitor(counter);
                GenServer.cast(counter, new Boom());
                Stopped s = receive(msg -> msg instanceof Stopped x ? x : null);
                assertEquals(41, s.state());
                ExitReason reason = awaitDown(m).reason();
                assertEquals(s.reason(), reason);
                assertEquals("cast boom", ((ExitReason.Crash) reason).error().getMessage());
                assertTrue(whereis("crashing_counter").isEmpty(), "the name is released");
            });
            LogRecord report;
            synchronized (handler) {
                report = records.stream().filter(r -> r.getMessage().contains("crashing_counter")).findFirst()
                        .orElseThrow(() -> new AssertionError("no crash report among " + records.size() + " records"));
            }
            assertTrue(report.getMessage().contains("Last message: {'$gen_cast',Boom[]}"), report.getMessage());
            assertTrue(report.getMessage().contains("State: 41"), report.getMessage());
            assertTrue(report.getMessage().contains("Reason: {java.lang.IllegalStateException: cast boom"), report.getMessage());
            assertEquals("cast boom", report.getThrown().getMessage());
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void stopRunsTerminateWithTheReasonAndWaitsForTheExit() {
        run(() -> {
            Pid counter = GenServer.start(new Counter(7, self()));
            GenServer.stop(counter, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
            assertFalse(alive(counter));
            assertEquals(new Stopped(ExitReason.SHUTDOWN, 7), receive(m -> m instanceof Stopped x ? x : null));
            CallFailed f = callFailure(exitReasonOf(() -> GenServer.stop(counter)));
            assertEquals(ExitReason.NOPROC, f.reason());
            assertEquals("GenServer.stop", f.function());
        });
    }

    @Test
    void stopWithAReplyAnswersTheCallerAfterTerminate() {
        run(() -> {
            Pid counter = GenServer.start(new Counter(3, self()));
            Ref m = monitor(counter);
            assertEquals("bye", GenServer.call(counter, "stop"));
            assertEquals(new Stopped(ExitReason.NORMAL, 3), receive(msg -> msg instanceof Stopped x ? x : null));
            assertEquals(ExitReason.NORMAL, awaitDown(m).reason());
        });
    }

    @Test
    void namedServersAreReachedByAtomStringAndLocalName() {
        run(() -> {
            Pid counter = GenServer.start(new Counter(), "named_counter");
            GenServer.cast(Atom.of("named_counter"), new Inc());
            GenServer.cast(Name.local("named_counter"), new Inc());
            assertEquals(2, (int) GenServer.call("named_counter", new Get()));
            assertEquals(2, (int) GenServer.call(Name.local("named_counter"), new Get()));
            StartException e = assertThrows(StartException.class, () -> GenServer.start(new Counter(), "named_counter"));
            assertEquals(ExitReason.of(new StartException.AlreadyStarted(counter)), e.reason());
            GenServer.stop(counter);
        });
    }

    @Test
    void callingItselfExitsWithCallingSelf() {
        run(() -> {
            CallFailed f = callFailure(exitReasonOf(() -> {
                Pid server = GenServer.start(new GenServer<Pid>() {
                    @Override
                    protected Init<Pid> init() {
                        return ok(null);
                    }

                    @Override
                    protected Result<Pid> handleCast(Object request, Pid s) {
                        GenServer.call(self(), "hello");
                        return noReply(s);
                    }
                });
                Ref m = monitor(server);
                GenServer.cast(server, "go");
                exit(awaitDown(m).reason());
            }));
            assertEquals(ExitReason.of(Atom.of("calling_self")), f.reason());
        });
    }

    static final class Failing extends GenServer<Object> {
        private final Init<Object> answer;

        Failing(Init<Object> answer) {
            this.answer = answer;
        }

        @Override
        protected Init<Object> init() {
            if (answer == null) {
                throw new IllegalArgumentException("bad config");
            }
            return answer;
        }
    }

    @Test
    void initFailuresReachTheStarter() {
        run(() -> {
            StartException stop = assertThrows(StartException.class, () -> GenServer.start(new Failing(Init.stop("no_db"))));
            assertEquals(ExitReason.of("no_db"), stop.reason());
            StartException crash = assertThrows(StartException.class, () -> GenServer.start(new Failing(null)));
            assertEquals("bad config", ((ExitReason.Crash) crash.reason()).error().getMessage());
            StartException ignore = assertThrows(StartException.class, () -> GenServer.start(new Failing(Init.ignore()), "ignored_one"));
            assertTrue(ignore.ignored());
            assertTrue(whereis("ignored_one").isEmpty());
        });
    }

    @Test
    void initStopKillsALinkedStarterThatDoesNotTrapExits() {
        run(() -> {
            ExitReason r = exitReasonOf(() -> GenServer.startLink(new Failing(Init.stop("no_db"))));
            assertEquals(ExitReason.of("no_db"), r);
        });
    }

    @Test
    void aStartThatTimesOutKillsTheProcess() {
        run(() -> {
            int before = count();
            StartException e = assertThrows(StartException.class, () -> GenServer.start(new GenServer<Object>() {
                @Override
                protected Init<Object> init() {
                    receive(); // waits forever
                    return ok(null);
                }
            }, null, true, Duration.ofMillis(20)));
            assertEquals(ExitReason.of(Atom.of("timeout")), e.reason());
            assertTrue(count() <= before, "the server that timed out was killed"); // others may exit meanwhile
            assertEquals(List.of(), flush());
        });
    }

    record Step(String what) {}

    /** Continue, timeout and info, recording what happens in order. */
    static final class Stepper extends GenServer<Pid> {
        private final Pid observer;

        Stepper(Pid observer) {
            this.observer = observer;
        }

        @Override
        protected Init<Pid> init() {
            return ok(observer).withContinue("after init");
        }

        @Override
        protected Result<Pid> handleContinue(Object arg, Pid o) {
            send(o, new Step("continue " + arg));
            return noReply(o).withTimeout(Duration.ofMillis(5));
        }

        @Override
        protected Result<Pid> handleInfo(Object message, Pid o) {
            send(o, new Step("info " + message));
            return message == GenServer.TIMEOUT ? noReply(o) : stop(ExitReason.NORMAL, o);
        }
    }

    @Test
    void continueRunsBeforeMessagesAndATimeoutBecomesAnInfo() {
        run(() -> {
            Pid server = GenServer.start(new Stepper(self()));
            Ref m = monitor(server);
            assertEquals(new Step("continue after init"), receive(msg -> msg instanceof Step s ? s : null));
            assertEquals(new Step("info timeout"), receive(msg -> msg instanceof Step s ? s : null));
            send(server, "plain");
            assertEquals(new Step("info plain"), receive(msg -> msg instanceof Step s ? s : null));
            assertEquals(ExitReason.NORMAL, awaitDown(m).reason());
        });
    }

    @Test
    void aTrappingServerRunsTerminateWhenItsParentExits() {
        run(() -> {
            Pid me = self();
            Pid parent = spawn(() -> {
                Pid server = GenServer.startLink(new GenServer<Integer>() {
                    @Override
                    protected Init<Integer> init() {
                        trapExit(true);
                        return ok(5);
                    }

                    @Override
                    protected void terminate(ExitReason reason, Integer state) {
                        send(me, new Stopped(reason, state));
                    }
                });
                send(me, server);
                receive();
            });
            Pid server = receive(m -> m instanceof Pid p ? p : null);
            Ref m = monitor(server);
            exit(parent, ExitReason.SHUTDOWN);
            assertEquals(new Stopped(ExitReason.SHUTDOWN, 5), receive(msg -> msg instanceof Stopped s ? s : null));
            assertEquals(ExitReason.SHUTDOWN, awaitDown(m).reason());
        });
    }
}

package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.CrashReports;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static io.loomix.otp.CallFailures.callFailure;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ProcessExtension.class)
class GenServerTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

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
        Pid counter = GenServer.startLink(new Counter());
        GenServer.cast(counter, new Inc());
        GenServer.cast(counter, new Inc());
        int n = GenServer.call(counter, new Get());
        assertEquals(2, n);
    }

    @Test
    void callToADeadServerExitsTheCallerWithNoproc() {
        Pid counter = GenServer.start(new Counter());
        GenServer.stop(counter);
        CallFailed f = callFailure(probe.exitReasonOf(() -> GenServer.call(counter, new Get())));
        assertEquals(ExitReason.NOPROC, f.reason());
        assertEquals("GenServer.call", f.function());
        assertEquals(List.of(counter, new Get(), 5000L), f.args());
        assertEquals(ExitReason.NOPROC, callFailure(probe.exitReasonOf(() -> GenServer.call("nobody_by_that_name", new Get()))).reason());
    }

    @Test
    void callTimeoutExitsTheCallerNamingTheCall() {
        Pid counter = GenServer.startLink(new Counter());
        CallFailed f = callFailure(probe.exitReasonOf(() -> GenServer.call(counter, new Hold(), Duration.ofMillis(20))));
        assertEquals(ExitReason.of(Atom.of("timeout")), f.reason());
        assertEquals(List.of(counter, new Hold(), 20L), f.args());
        assertEquals("{timeout,{GenServer,call,[" + counter + ",Hold[],20]}}", f.toString());
        assertTrue(alive(counter), "a call timeout does not harm the server");
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
        Pid server = GenServer.startLink(new Deferring());
        Pid me = self();
        for (int i = 0; i < 3; i++) {
            spawn(() -> send(me, GenServer.<String>call(server, new Hold())));
        }
        // Every caller waits in the server once the server answers this later call.
        probe.awaitCondition("three callers held", () -> Sys.<List<From>>getState(server).size() == 3);
        GenServer.cast(server, new ReleaseHeld("later"));
        for (int i = 0; i < 3; i++) {
            assertEquals("later", receive(m -> m instanceof String s ? s : null));
        }
    }

    @Test
    void aLateReplyNeverLandsInTheCallersMailbox() {
        Pid server = GenServer.startLink(new Deferring());
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
    }

    @Test
    void aServerThatDiesDuringACallExitsTheCallerWithItsReason() {
        trapExit(true);
        Pid counter = GenServer.startLink(new Counter());
        CallFailed f = callFailure(probe.exitReasonOf(() -> GenServer.call(counter, new Boom())));
        assertInstanceOf(ExitReason.Crash.class, f.reason());
        assertEquals("boom at 0", ((ExitReason.Crash) f.reason()).error().getMessage());
        Exit e = receive(m -> m instanceof Exit x ? x : null);
        assertEquals(counter, e.from());
        assertEquals(f.reason(), e.reason());
    }

    @Test
    void aCrashInACallbackRunsTerminateAndLogsAStructuredCrashReport() {
        try (CrashReports reports = CrashReports.captureQuietly()) {
            Pid counter = GenServer.start(new Counter(41, self()), "crashing_counter");
            Ref m = monitor(counter);
            GenServer.cast(counter, new Boom());
            Stopped s = receive(msg -> msg instanceof Stopped x ? x : null);
            assertEquals(41, s.state());
            ExitReason reason = probe.expectDown(m).reason();
            assertEquals(s.reason(), reason);
            assertEquals("cast boom", ((ExitReason.Crash) reason).error().getMessage());
            assertTrue(whereis("crashing_counter").isEmpty(), "the name is released");
            // logged before the Down was sent, so it is there now
            var report = reports.expect(r -> r.logger().equals("io.loomix.otp.GenServer") && r.message().contains("crashing_counter"));
            assertTrue(report.message().contains("Last message: {'$gen_cast',Boom[]}"), report.message());
            assertTrue(report.message().contains("State: 41"), report.message());
            assertTrue(report.message().contains("Reason: {java.lang.IllegalStateException: cast boom"), report.message());
            assertEquals("cast boom", report.thrown().getMessage());
        }
    }

    @Test
    void stopRunsTerminateWithTheReasonAndWaitsForTheExit() {
        Pid counter = GenServer.start(new Counter(7, self()));
        GenServer.stop(counter, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
        assertFalse(alive(counter));
        assertEquals(new Stopped(ExitReason.SHUTDOWN, 7), receive(m -> m instanceof Stopped x ? x : null));
        CallFailed f = callFailure(probe.exitReasonOf(() -> GenServer.stop(counter)));
        assertEquals(ExitReason.NOPROC, f.reason());
        assertEquals("GenServer.stop", f.function());
    }

    @Test
    void stopWithAReplyAnswersTheCallerAfterTerminate() {
        Pid counter = GenServer.start(new Counter(3, self()));
        Ref m = monitor(counter);
        assertEquals("bye", GenServer.call(counter, "stop"));
        assertEquals(new Stopped(ExitReason.NORMAL, 3), receive(msg -> msg instanceof Stopped x ? x : null));
        assertEquals(ExitReason.NORMAL, probe.expectDown(m).reason());
    }

    @Test
    void namedServersAreReachedByAtomStringAndLocalName() {
        Pid counter = GenServer.start(new Counter(), "named_counter");
        GenServer.cast(Atom.of("named_counter"), new Inc());
        GenServer.cast(Name.local("named_counter"), new Inc());
        assertEquals(2, (int) GenServer.call("named_counter", new Get()));
        assertEquals(2, (int) GenServer.call(Name.local("named_counter"), new Get()));
        StartException e = assertThrows(StartException.class, () -> GenServer.start(new Counter(), "named_counter"));
        assertEquals(ExitReason.of(new StartException.AlreadyStarted(counter)), e.reason());
        GenServer.stop(counter);
    }

    @Test
    void callingItselfExitsWithCallingSelf() {
        CallFailed f = callFailure(probe.exitReasonOf(() -> {
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
            exit(probe.expectDown(m).reason());
        }));
        assertEquals(ExitReason.of(Atom.of("calling_self")), f.reason());
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
        StartException stop = assertThrows(StartException.class, () -> GenServer.start(new Failing(Init.stop("no_db"))));
        assertEquals(ExitReason.of("no_db"), stop.reason());
        StartException crash = assertThrows(StartException.class, () -> GenServer.start(new Failing(null)));
        assertEquals("bad config", ((ExitReason.Crash) crash.reason()).error().getMessage());
        StartException ignore = assertThrows(StartException.class, () -> GenServer.start(new Failing(Init.ignore()), "ignored_one"));
        assertTrue(ignore.ignored());
        assertTrue(whereis("ignored_one").isEmpty());
    }

    @Test
    void initStopKillsALinkedStarterThatDoesNotTrapExits() {
        ExitReason r = probe.exitReasonOf(() -> GenServer.startLink(new Failing(Init.stop("no_db"))));
        assertEquals(ExitReason.of("no_db"), r);
    }

    @Test
    void aStartThatTimesOutKillsTheProcess() {
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
        Pid server = GenServer.start(new Stepper(self()));
        Ref m = monitor(server);
        assertEquals(new Step("continue after init"), receive(msg -> msg instanceof Step s ? s : null));
        assertEquals(new Step("info timeout"), receive(msg -> msg instanceof Step s ? s : null));
        send(server, "plain");
        assertEquals(new Step("info plain"), receive(msg -> msg instanceof Step s ? s : null));
        assertEquals(ExitReason.NORMAL, probe.expectDown(m).reason());
    }

    @Test
    void aTrappingServerRunsTerminateWhenItsParentExits() {
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
        assertEquals(ExitReason.SHUTDOWN, probe.expectDown(m).reason());
    }
}

package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.Exited;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.SpawnOptions;
import io.loomix.testkit.CrashReports;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static io.loomix.otp.CallFailures.callFailure;
import static org.junit.jupiter.api.Assertions.*;

/**
 * GenServer start, stop and call edge cases, each checked against OTP 25 / Elixir 1.14 (ported
 * from gen_server_SUITE, proc_lib_SUITE and Elixir's gen_server_test).
 */
@ExtendWith(ProcessExtension.class)
class GenServerConformanceTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    record Get() {}

    record Stopped(ExitReason reason) {}

    static final class NullInit extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return null;
        }
    }

    /** Tells the test it is in init, then waits there until killed. */
    static final class StuckInInit extends GenServer<Integer> {
        private final Pid test;

        StuckInInit(Pid test) {
            this.test = test;
        }

        @Override
        protected Init<Integer> init() {
            send(test, self());
            receive(m -> null);
            return ok(0);
        }
    }

    static final class Echo extends GenServer<Integer> {
        private final Pid observer;

        Echo(Pid observer) {
            this.observer = observer;
        }

        Echo() {
            this(null);
        }

        @Override
        protected Init<Integer> init() {
            return ok(0);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return switch (request) {
                case Get g -> reply(n, n);
                case String s when s.equals("null") -> null;
                default -> reply(request, n + 1);
            };
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            return request.equals("null") ? null : noReply(n);
        }

        @Override
        protected void terminate(ExitReason reason, Integer n) {
            if (observer != null) {
                send(observer, new Stopped(reason));
            }
        }
    }

    @Test
    void initReturningNullFailsTheStartWithBadReturnValue() {
        StartException e = assertThrows(StartException.class, () -> GenServer.start(new NullInit()));
        assertEquals(ExitReason.of(new BadReturnValue("init", null)), e.reason());
        assertEquals("{bad_return_value,null}", e.reason().toString());
    }

    @Test
    void aServerKilledDuringInitFailsTheStartWithKilled() {
        Pid me = self();
        for (Duration timeout : List.of(GenServer.INFINITY, Duration.ofSeconds(30))) {
            Pid starter = spawn(() -> {
                try {
                    GenServer.start(new StuckInInit(me), StartOptions.DEFAULT.withTimeout(timeout));
                    send(me, "started");
                } catch (StartException e) {
                    send(me, e.reason());
                }
            });
            Pid server = receive(m -> m instanceof Pid p ? p : null);
            exit(server, ExitReason.KILL);
            assertEquals(ExitReason.KILLED, receive(m -> m instanceof ExitReason r ? r : m instanceof String ? m : null));
            assertNotNull(starter);
        }
    }

    @Test
    void aFailedStartLinkLeavesNoExitInATrappingCallersMailbox() {
        trapExit(true);
        assertThrows(StartException.class, () -> GenServer.startLink(new NullInit()));
        assertThrows(StartException.class, () -> GenServer.startLink(new GenServer<Integer>() {
            @Override
            protected Init<Integer> init() {
                return Init.stop(Atom.of("no"));
            }
        }));
        assertThrows(StartException.class, () -> GenServer.startLink(new GenServer<Integer>() {
            @Override
            protected Init<Integer> init() {
                throw new IllegalStateException("init crashed");
            }
        }));
        assertEquals(List.of(), flush(), "OTP 26's proc_lib flushes the failed process's EXIT");
        assertTrue(info(self()).orElseThrow().links().isEmpty());
    }

    @Test
    void aStartTimeoutKillsTheServerWithoutKillingALinkedCaller() {
        Pid me = self();
        StartException e = assertThrows(StartException.class, () -> GenServer.startLink(new StuckInInit(me),
                StartOptions.DEFAULT.withTimeout(Duration.ofMillis(20))));
        assertEquals(ExitReason.of(Atom.of("timeout")), e.reason());
        Pid server = receive(m -> m instanceof Pid p ? p : null);
        assertFalse(alive(server));
        assertEquals(List.of(), flush());
    }

    @Test
    void startMonitorReturnsTheMonitorOfTheServer() {
        Monitored m = GenServer.startMonitor(new Echo());
        assertTrue(info(self()).orElseThrow().links().isEmpty(), "startMonitor does not link");
        GenServer.stop(m.pid(), ExitReason.of(Atom.of("bye")), GenServer.INFINITY);
        assertEquals(ExitReason.of(Atom.of("bye")), probe.expectDown(m.ref()).reason());
    }

    @Test
    void startOptionsCarrySpawnOptionsToTheServerProcess() {
        Pid server = GenServer.start(new Echo(), StartOptions.DEFAULT.withName("opts_server")
                .withSpawn(SpawnOptions.DEFAULT.withPriority(io.loomix.Priority.HIGH)));
        assertEquals(io.loomix.Priority.HIGH, info(server).orElseThrow().priority());
        assertEquals(server, GenServer.whereis("opts_server").orElseThrow());
        GenServer.stop(server);
        assertTrue(GenServer.whereis("opts_server").isEmpty());
    }

    @Test
    void whereisResolvesEveryKindOfServerName() {
        Registry reg = Registry.startLink("whereis_reg", Registry.Keys.UNIQUE);
        Pid byVia = GenServer.startLink(new Echo(), new Via(reg, "k"));
        Pid byAtom = GenServer.startLink(new Echo(), Atom.of("whereis_atom"));
        assertEquals(byVia, GenServer.whereis(new Via(reg, "k")).orElseThrow());
        assertEquals(byAtom, GenServer.whereis("whereis_atom").orElseThrow());
        assertEquals(byAtom, GenServer.whereis(io.loomix.Name.local("whereis_atom")).orElseThrow());
        assertEquals(byAtom, GenServer.whereis(byAtom).orElseThrow());
        assertTrue(GenServer.whereis("nobody_here").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> GenServer.whereis(42));
    }

    @Test
    void castToAViaWhoseRegistryIsNotRunningIsDropped() {
        Registry gone = new Registry(Atom.of("never_started_registry"), Registry.Keys.UNIQUE);
        GenServer.cast(new Via(gone, "k"), "hello"); // OTP: a cast never fails
        assertThrows(IllegalArgumentException.class, () -> GenServer.call(new Via(gone, "k"), "hello"),
                "a call names the unknown registry, as Elixir's ArgumentError");
    }

    @Test
    void stoppingItselfExitsWithCallingSelf() {
        Pid me = self();
        Pid server = GenServer.startLink(new GenServer<Integer>() {
            @Override
            protected Init<Integer> init() {
                return ok(0);
            }

            @Override
            protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
                try {
                    GenServer.stop(self());
                    return reply("stopped", n);
                } catch (Exited e) {
                    return reply(e.reason(), n);
                }
            }
        });
        CallFailed f = callFailure(GenServer.call(server, new Get()));
        assertEquals(ExitReason.of(Atom.of("calling_self")), f.reason());
        assertEquals("GenServer.stop", f.function());
        assertEquals(List.of(server, ExitReason.NORMAL, Atom.of("infinity")), f.args());
        assertNotNull(me);
    }

    @Test
    void stopWithANegativeTimeoutFailsFirstAndLeavesTheServerAlive() {
        Pid server = GenServer.startLink(new Echo());
        assertThrows(IllegalArgumentException.class,
                () -> GenServer.stop(server, ExitReason.NORMAL, Duration.ofMillis(-1)));
        assertTrue(alive(server));
        assertEquals(0, GenServer.<Integer>call(server, new Get()));
    }

    @Test
    void callWithANegativeTimeoutFailsBeforeSending() {
        Pid server = GenServer.startLink(new Echo());
        assertThrows(IllegalArgumentException.class, () -> GenServer.call(server, "counted", Duration.ofMillis(-5)));
        assertEquals(0, GenServer.<Integer>call(server, new Get()), "the server never saw the request");
        assertTrue(info(self()).orElseThrow().monitors().isEmpty());
        assertEquals(List.of(), flush());
    }

    @Test
    void callsWithABadServerArgumentLeaveNothingBehind() {
        Pid server = GenServer.startLink(new Echo());
        for (int i = 0; i < 1_000; i++) { // warm up
            assertThrows(IllegalArgumentException.class, () -> GenServer.call(42, new Get()));
        }
        long before = retainedHeap();
        for (int i = 0; i < 200_000; i++) {
            assertThrows(IllegalArgumentException.class, () -> GenServer.call(42, new Get()));
        }
        long grown = retainedHeap() - before;
        // A leaked alias per call kept about 85 B: 17 MB here. Allow a quarter of that for noise.
        assertTrue(grown < 4 << 20, "200 000 bad calls kept " + grown + " bytes");
        assertThrows(NullPointerException.class, () -> GenServer.call(null, new Get()));
        assertTrue(info(self()).orElseThrow().monitors().isEmpty());
        assertEquals(0, GenServer.<Integer>call(server, new Get()));
        assertEquals(List.of(), flush());
    }

    @Test
    void aCallbackReturningNullStopsWithBadReturnValueAfterTerminate() {
        Pid me = self();
        for (String via : List.of("call", "cast")) {
            Monitored m = GenServer.startMonitor(new Echo(me));
            ExitReason expected = ExitReason.of(new BadReturnValue(via.equals("call") ? "handleCall" : "handleCast", null));
            if (via.equals("call")) {
                assertEquals(expected, callFailure(probe.exitReasonOf(() -> GenServer.call(m.pid(), "null"))).reason());
            } else {
                GenServer.cast(m.pid(), "null");
            }
            assertEquals(new Stopped(expected), receive(x -> x instanceof Stopped s ? s : null), "terminate ran");
            assertEquals(expected, probe.expectDown(m.ref()).reason());
        }
    }

    @Test
    void aFailedCallIsCaughtAsExitedWithItsReason() {
        Pid server = GenServer.start(new Echo());
        GenServer.stop(server);
        try {
            GenServer.call(server, new Get());
            fail("the call returned");
        } catch (Exited e) {
            assertEquals(ExitReason.NOPROC, callFailure(e.reason()).reason());
        }
        assertTrue(alive(self()), "catching the exit keeps the caller alive");
    }

    @Test
    void aTypedCallChecksTheReplyType() {
        Pid server = GenServer.startLink(new Echo());
        int n = GenServer.call(server, new Get(), Integer.class);
        assertEquals(0, n);
        assertEquals(0, GenServer.call(server, new Get(), int.class));
        ClassCastException e = assertThrows(ClassCastException.class,
                () -> GenServer.call(server, "text", Integer.class));
        assertTrue(e.getMessage().contains("answered text with java.lang.String text, not a java.lang.Integer"),
                e.getMessage());
    }

    @Test
    void aTracedServerLogsWhatItGetsAndSendsUntilTracingIsTurnedOff() {
        try (CrashReports trace = CrashReports.captureLog("io.loomix.otp.Sys", System.Logger.Level.INFO)) {
            Pid server = GenServer.start(new Echo(), StartOptions.DEFAULT.withName("traced").withTrace(true));
            assertEquals(0, (int) GenServer.<Integer>call(server, new Get()));
            GenServer.cast(server, "hello");
            Sys.trace(server, false);
            int seen = trace.messages().size();
            GenServer.call(server, new Get());
            assertEquals(seen, trace.messages().size(), "nothing is logged once tracing is off");
            Sys.trace(server, true);
            GenServer.call(server, new Get());
            GenServer.stop(server);
            List<String> lines = trace.messages();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("*DBG* traced got call Get[] from {")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("*DBG* traced sent 0 to {") && l.endsWith("new state 0")),
                    lines.toString());
            assertTrue(lines.contains("*DBG* traced got cast hello"), lines.toString());
            assertEquals(2, lines.stream().filter(l -> l.contains("got call")).count(), "the call made while off is not logged: " + lines);
        }
    }

    private static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    record Count() implements GenServer.Request<Integer> {}

    @Test
    void aTypedRequestTypesTheCall() {
        Pid server = GenServer.startLink(new GenServer<Integer>() {
            @Override
            protected Init<Integer> init() {
                return ok(41);
            }

            @Override
            protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
                return reply(n + 1, n);
            }
        });
        var n = GenServer.call(server, new Count()); // var: the type comes from the request
        Integer boxed = n;
        assertEquals(42, boxed);
        assertEquals(42, (int) GenServer.call(server, new Count(), Duration.ofSeconds(1)));
    }

    /** The CallFailed carried back as a reply (the server caught its own failed stop). */
    private static CallFailed callFailure(Object reason) {
        return CallFailures.callFailure((ExitReason) reason);
    }
}

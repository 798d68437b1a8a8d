package io.loomix.otp;

import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.CrashReports;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * OTP's debug options beyond trace (sys:log, sys:statistics, sys:log_to_file, sys:install,
 * sys:no_debug), ported from sys_SUITE and checked against OTP 25 ({@code erl}): the same server,
 * {@code {req, N}} answered with {@code {ok, -N}}, the state counting calls.
 */
@ExtendWith(ProcessExtension.class)
class SysDebugTest {
    record Req(int n) {}

    record Ok(int n) {}

    static final class SuiteServer extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(0);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return reply(new Ok(-((Req) request).n()), n + 1);
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            if (request.equals("crash")) {
                throw new IllegalStateException("asked to crash");
            }
            return noReply(n + (Integer) request);
        }

        @Override
        protected Result<Integer> handleInfo(Object message, Integer n) {
            return noReply(n);
        }
    }

    @TempDir
    Path dir;

    private static Pid start(DebugOptions debug) {
        return GenServer.startLink(new SuiteServer(), StartOptions.DEFAULT.withName("sys_suite_server").withDebug(debug));
    }

    @Test
    void theLogKeepsTheLastEventsOldestFirstAndIsDroppedWhenTurnedOff() {
        Pid server = start(DebugOptions.NONE);
        assertEquals(List.of(), Sys.getLog(server), "not logging: an empty log, as OTP's {ok,[]}");
        Sys.log(server, true);
        assertEquals(new Ok(-44), GenServer.call(server, new Req(44)));
        List<SysEvent> log = Sys.getLog(server);
        assertEquals(2, log.size(), log.toString());
        var in = assertInstanceOf(SysEvent.Call.class, log.get(0));
        assertEquals(new Req(44), in.request());
        assertEquals(self(), in.from().pid());
        assertEquals(new SysEvent.Out(new Ok(-44), in.from(), 1), log.get(1));
        Sys.log(server, false);
        assertEquals(List.of(), Sys.getLog(server));
    }

    @Test
    void aLogOfNEventsDropsTheOldestAndALogAlreadyOnKeepsItsSize() {
        Pid server = start(DebugOptions.NONE.withLog(3));
        GenServer.call(server, new Req(1));
        GenServer.cast(server, 5);
        send(server, "hello");
        Sys.log(server, 1); // already on: OTP leaves it as it is
        GenServer.cast(server, 1);
        // as erl printed: [{in,{'$gen_cast',1}}... the last three of call, out, cast, noreply, hello, noreply, cast, noreply
        assertEquals(List.of(new SysEvent.NoReply(6), new SysEvent.Cast(1), new SysEvent.NoReply(7)), Sys.getLog(server));
        Sys.log(server, false);
        Sys.log(server, true);
        for (int i = 0; i < 20; i++) {
            GenServer.cast(server, 1);
        }
        assertEquals(DebugOptions.DEFAULT_LOG_SIZE, Sys.getLog(server).size(), "OTP keeps 10 by default");
        assertThrows(IllegalArgumentException.class, () -> Sys.log(server, 0));
    }

    @Test
    void printLogWritesTheLoggedEventsAsTraceLines() {
        Pid server = start(DebugOptions.NONE.withLog(10));
        GenServer.call(server, new Req(44));
        send(server, "hi");
        try (CrashReports lines = CrashReports.captureLog("io.loomix.otp.Sys", System.Logger.Level.INFO)) {
            Sys.printLog(server); // answered after the lines are logged
            List<String> printed = lines.messages();
            assertEquals(4, printed.size(), printed.toString());
            assertTrue(printed.get(0).startsWith("*DBG* sys_suite_server got call Req[n=44] from {" + self() + ","), printed.get(0));
            assertTrue(printed.get(1).startsWith("*DBG* sys_suite_server sent Ok[n=-44] to {"), printed.get(1));
            assertTrue(printed.get(1).endsWith(", new state 1"), printed.get(1));
            assertEquals(List.of("*DBG* sys_suite_server got hi", "*DBG* sys_suite_server new state 1"), printed.subList(2, 4));
        }
    }

    @Test
    void logToFileWritesEachEventUntilTurnedOff() throws IOException {
        Path file = dir.resolve("sys.log");
        Pid server = start(DebugOptions.NONE);
        Sys.logToFile(server, file);
        assertEquals(new Ok(-44), GenServer.call(server, new Req(44)));
        Sys.stopLogToFile(server);
        GenServer.call(server, new Req(45));
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("*DBG* sys_suite_server got call Req[n=44] from "), lines.get(0));
        assertTrue(lines.get(1).startsWith("*DBG* sys_suite_server sent Ok[n=-44] to "), lines.get(1));
    }

    @Test
    void aLogFileThatCannotBeOpenedIsAnErrorAtRunTimeAndIgnoredAtStart() throws IOException {
        Path missing = dir.resolve("no-such-dir").resolve("sys.log");
        Pid server = start(DebugOptions.NONE.withLogToFile(missing)); // OTP's debug_options skip it
        assertEquals(new Ok(-1), GenServer.call(server, new Req(1)));
        var e = assertThrows(IllegalStateException.class, () -> Sys.logToFile(server, missing)); // {error,open_file}
        assertTrue(e.getMessage().startsWith("Sys.logToFile failed: cannot open " + missing), e.getMessage());
        Path file = dir.resolve("start.log");
        Pid other = GenServer.start(new SuiteServer(), StartOptions.DEFAULT.withDebug(DebugOptions.NONE.withLogToFile(file)));
        GenServer.cast(other, 2);
        Sys.noDebug(other); // closes the file once the cast is handled
        assertEquals(List.of("*DBG* " + other + " got cast 2", "*DBG* " + other + " new state 2"), Files.readAllLines(file));
        GenServer.stop(other);
    }

    @Test
    void statisticsCountMessagesInAndRepliesOut() {
        Instant before = Instant.now();
        Pid server = start(DebugOptions.NONE);
        assertEquals(java.util.Optional.empty(), Sys.getStatistics(server), "off: OTP's no_statistics");
        Sys.statistics(server, true);
        assertEquals(new Ok(-44), GenServer.call(server, new Req(44)));
        GenServer.cast(server, 5);
        send(server, "hello");
        Sys.Statistics s = Sys.getStatistics(server).orElseThrow();
        // OTP 25 after a call, a cast and a plain message: messages_in 3, messages_out 1
        assertEquals(3, s.messagesIn());
        assertEquals(1, s.messagesOut());
        assertFalse(s.startTime().isBefore(before.minusSeconds(1)), s.toString());
        assertFalse(s.currentTime().isBefore(s.startTime()), s.toString());
        assertTrue(s.reductions() >= 0, s.toString());
        Sys.statistics(server, true); // already on: counting goes on
        assertEquals(3, Sys.getStatistics(server).orElseThrow().messagesIn());
        Sys.statistics(server, false);
        assertEquals(java.util.Optional.empty(), Sys.getStatistics(server));
    }

    @Test
    void startOptionsTurnDebugOptionsOnFromTheFirstMessage() {
        Pid server = start(DebugOptions.NONE.withLog(2).withStatistics(true));
        GenServer.cast(server, 1);
        assertEquals(List.of(new SysEvent.Cast(1), new SysEvent.NoReply(1)), Sys.getLog(server));
        assertEquals(1, Sys.getStatistics(server).orElseThrow().messagesIn(), "system messages are not counted");
        Sys.noDebug(server);
        assertEquals(List.of(), Sys.getLog(server));
        assertEquals(java.util.Optional.empty(), Sys.getStatistics(server));
    }

    /** A debug function's events, sent to the test as OTP's sys_SUITE spy does. */
    record Spied(int count, SysEvent event, Object process) {}

    @Test
    void anInstalledFunctionSeesEachEventUntilRemoved(Probe probe) {
        Pid server = start(DebugOptions.NONE);
        Pid test = self();
        Sys.DebugFunction<Integer> spy = (count, event, process) -> {
            if (event instanceof SysEvent.Call c) {
                send(test, new Spied(count, c, process));
            }
            return count + 1;
        };
        Sys.install(server, spy, 0);
        assertEquals(new Ok(-1), GenServer.call(server, new Req(1)));
        Sys.noDebug(server);
        assertEquals(new Ok(-2), GenServer.call(server, new Req(2)));
        Sys.install(server, spy, 0);
        Sys.install(server, spy, 100); // installed already: OTP keeps the first, with its state
        assertEquals(new Ok(-3), GenServer.call(server, new Req(3)));
        Sys.remove(server, spy);
        assertEquals(new Ok(-4), GenServer.call(server, new Req(4)));
        var first = probe.expectMessage(Spied.class);
        assertEquals(0, first.count());
        assertEquals(new Req(1), ((SysEvent.Call) first.event()).request());
        assertEquals("sys_suite_server", first.process());
        var second = probe.expectMessage(Spied.class);
        assertEquals(0, second.count(), "installed afresh after no_debug, once");
        assertEquals(new Req(3), ((SysEvent.Call) second.event()).request());
        probe.expectNoMessage(Duration.ofMillis(20));
    }

    @Test
    void aFunctionThatIsDoneOrThrowsIsRemovedAndTheServerGoesOn(Probe probe) {
        Pid server = start(DebugOptions.NONE);
        Pid test = self();
        Sys.install(server, (Integer n, SysEvent event, Object process) -> {
            send(test, "once");
            return null; // OTP's done
        }, 0);
        Sys.install(server, (String s, SysEvent event, Object process) -> {
            send(test, "then throws");
            throw new IllegalStateException("a broken debug function");
        }, "x");
        GenServer.cast(server, 3);
        GenServer.cast(server, 4);
        assertEquals(7, (int) Sys.getState(server), "the server handled both casts");
        probe.expectMessage("once");
        probe.expectMessage("then throws");
        probe.expectNoMessage(Duration.ofMillis(20));
    }

    @Test
    void aCrashReportOfALoggingServerListsItsLastEvents(Probe probe, CrashReports reports) {
        Pid server = GenServer.start(new SuiteServer(), StartOptions.DEFAULT.withDebug(DebugOptions.NONE.withLog(2)));
        Ref ref = monitor(server);
        GenServer.cast(server, 3);
        GenServer.cast(server, "crash");
        probe.expectDown(ref);
        // as OTP's "** Log ==": [{noreply,3},{in,{'$gen_cast',boom}}]
        var report = reports.expect(r -> r.message().contains("** Log:"));
        assertTrue(report.message().endsWith("** Log:\n   *DBG* " + server + " new state 3\n   *DBG* " + server
                + " got cast crash"), report.message());
    }

    @Test
    void debugFunctionsWorkOnTheBehavioursBuiltOnGenServer() {
        Pid agent = Agent.start(() -> 1);
        Sys.log(agent, 5);
        Sys.statistics(agent, true);
        Agent.update(agent, (Integer n) -> n + 1);
        assertEquals(2, (int) Agent.get(agent, (Integer n) -> n));
        assertEquals(2, Sys.getStatistics(agent).orElseThrow().messagesIn());
        assertFalse(Sys.getLog(agent).isEmpty());
        Agent.stop(agent);
    }
}

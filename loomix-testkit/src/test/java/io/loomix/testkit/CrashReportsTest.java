package io.loomix.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Crash reports are captured while the capture is open, and only then. */
@ExtendWith(ProcessExtension.class)
class CrashReportsTest {
    private final Probe probe = Probe.create();

    private void crash(String why) {
        Monitored m = spawnMonitor(() -> {
            throw new IllegalStateException(why);
        });
        probe.expectDown(m.ref());
    }

    @Test
    void aCrashIsCapturedByTheTimeItsDownArrives() {
        try (CrashReports reports = CrashReports.captureQuietly()) {
            reports.expectNone();
            crash("first");
            CrashReports.Report r = reports.expect(x -> x.message().contains("first"));
            assertEquals("io.loomix.process", r.logger());
            assertEquals("SEVERE", r.level());
            assertEquals("first", r.thrown().getMessage());
            assertEquals(1, reports.reports().size(), reports.reports().toString());
        }
    }

    @Test
    void expectFailsListingWhatWasCaptured() {
        try (CrashReports reports = CrashReports.captureQuietly()) {
            crash("only this");
            var e = assertThrows(AssertionFailedError.class, () -> reports.expect(r -> r.message().contains("other")));
            assertTrue(e.getMessage().startsWith("no crash report matched; captured 1: [SEVERE io.loomix.process: Error in process"),
                    e.getMessage());
            assertThrows(AssertionFailedError.class, reports::expectNone);
        }
    }

    @Test
    void nothingIsCapturedAfterClose() {
        CrashReports reports = CrashReports.captureQuietly();
        reports.close();
        try (CrashReports quiet = CrashReports.captureQuietly()) {
            crash("after close");
            quiet.expect(r -> r.message().contains("after close"));
        }
        reports.expectNone();
    }

    @Test
    void anExitIsNoCrash() {
        try (CrashReports reports = CrashReports.captureQuietly()) {
            Monitored m = spawnMonitor(() -> exit("quietly"));
            probe.expectDown(m.ref());
            reports.expectNone();
        }
    }

    @Test
    void captureLogTakesOneLoggerAtTheLevelAskedAndGivesTheLevelBack() {
        System.Logger chatty = System.getLogger("io.loomix.testkit.chatty");
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.loomix.testkit.chatty");
        java.util.logging.Level before = jul.getLevel();
        CrashReports lines = CrashReports.captureLog("io.loomix.testkit.chatty", System.Logger.Level.DEBUG);
        try (lines) {
            chatty.log(System.Logger.Level.DEBUG, "a debug line");
            chatty.log(System.Logger.Level.TRACE, "below the level");
            System.getLogger("io.loomix.testkit.other").log(System.Logger.Level.WARNING, "another logger");
            assertEquals(java.util.List.of("a debug line"), lines.messages());
        }
        assertEquals(before, jul.getLevel());
        chatty.log(System.Logger.Level.INFO, "after close");
        assertEquals(java.util.List.of("a debug line"), lines.messages());
    }
}

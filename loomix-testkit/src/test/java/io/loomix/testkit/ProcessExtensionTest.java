package io.loomix.testkit;

import io.loomix.ExitReason;
import io.loomix.Pid;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * The extension, run by JUnit's engine test kit on sample test classes (nested, so that the build
 * does not run them itself): what passes, what fails, and the message each failure carries.
 */
class ProcessExtensionTest {

    /** Runs one sample test method and returns its finished event. */
    private static Event run(Class<?> sample, String method) {
        List<Event> finished = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(sample, java.util.Arrays.stream(sample.getDeclaredMethods())
                        .filter(m -> m.getName().equals(method)).findFirst().orElseThrow()))
                .execute()
                .testEvents().finished().list();
        assertEquals(1, finished.size(), "expected one finished test, got " + finished);
        return finished.getFirst();
    }

    private static TestExecutionResult.Status status(Class<?> sample, String method) {
        return run(sample, method).getRequiredPayload(TestExecutionResult.class).getStatus();
    }

    private static Throwable failure(Class<?> sample, String method) {
        Event e = run(sample, method);
        return e.getRequiredPayload(TestExecutionResult.class).getThrowable()
                .orElseThrow(() -> new AssertionError(method + " passed, but it should have failed"));
    }

    @ExtendWith(ProcessExtension.class)
    static class Samples {
        @Test
        void runsInAProcess() {
            Pid me = self();
            send(me, "hello");
            assertEquals("hello", receive());
            assertTrue(alive(me));
        }

        @Test
        void failsAnAssertion() {
            assertEquals(1, 2, "one is not two");
        }

        @Test
        void exitsWithAReason() {
            exit("bad_input");
        }

        @Test
        void isKilledByALinkedCrash() {
            spawnLink(() -> {
                throw new IllegalStateException("linked crash");
            });
            receive(); // the exit signal kills the test process here
        }

        @Test
        void exitsNormallyFromInside() {
            exit(ExitReason.NORMAL);
        }

        @Test
        void leavesAProcessBehind() {
            Pid stray = spawn(() -> receive());
            register("stray_" + stray.id(), stray);
        }

        @Test
        void linkedProcessesAreNotLeftovers() {
            for (int i = 0; i < 10; i++) {
                spawnLink(() -> receive());
            }
        }

        @RepeatedTest(3)
        void repeatsEachAsAProcess() {
            send(self(), "again");
            assertEquals("again", receive());
        }

        @Test
        void getsAProbeAndCrashReports(Probe probe, CrashReports reports) {
            var m = spawnMonitor(() -> {
                throw new IllegalStateException("reported crash");
            });
            probe.expectDown(m.ref());
            assertTrue(reports.expect(r -> r.message().contains("reported crash")).thrown() instanceof IllegalStateException);
        }
    }

    static class SlowSamples {
        @RegisterExtension
        static final ProcessExtension loomix = ProcessExtension.create().withTimeout(Duration.ofMillis(200));

        @Test
        void waitsForever() {
            receive();
        }
    }

    @Test
    void aBodyThatReturnsPasses() {
        assertEquals(SUCCESSFUL, status(Samples.class, "runsInAProcess"));
    }

    @Test
    void aFailedAssertionFailsWithItself() {
        Throwable t = failure(Samples.class, "failsAnAssertion");
        assertInstanceOf(AssertionError.class, t);
        assertTrue(t.getMessage().startsWith("one is not two"), t.getMessage());
    }

    @Test
    void anExitFailsWithItsReason() {
        assertEquals("the test process exited with " + ExitReason.of("bad_input"),
                failure(Samples.class, "exitsWithAReason").getMessage());
    }

    @Test
    void aLinkedCrashFailsWithTheCrashAsReason() {
        String message = failure(Samples.class, "isKilledByALinkedCrash").getMessage();
        assertTrue(message.startsWith("the test process exited with {java.lang.IllegalStateException: linked crash"), message);
    }

    @Test
    void templatesSuchAsRepeatedTestsRunAsProcessesToo() {
        List<Event> finished = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(Samples.class, "repeatsEachAsAProcess"))
                .execute().testEvents().finished().list();
        assertEquals(3, finished.size(), finished.toString());
        finished.forEach(e -> assertEquals(SUCCESSFUL, e.getRequiredPayload(TestExecutionResult.class).getStatus(),
                () -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::toString).orElse("")));
    }

    @Test
    void aNormalExitPasses() {
        assertEquals(SUCCESSFUL, status(Samples.class, "exitsNormallyFromInside"));
    }

    @Test
    void aProcessLeftBehindFailsWithItsInfo() {
        String message = failure(Samples.class, "leavesAProcessBehind").getMessage();
        assertTrue(message.startsWith("1 process(es) the test started are still alive after PT1S"), message);
        assertTrue(message.contains("registered as stray_"), message);
        assertTrue(message.contains("waiting"), message);
        // The stray is still alive: end it so that this test leaves nothing behind either.
        list().stream().filter(p -> info(p).map(i -> i.registeredName() != null
                && i.registeredName().name().startsWith("stray_")).orElse(false)).forEach(p -> exit(p, ExitReason.KILL));
    }

    @Test
    void processesLinkedToTheTestDieWithItAndAreNoLeftovers() {
        assertEquals(SUCCESSFUL, status(Samples.class, "linkedProcessesAreNotLeftovers"));
    }

    /** Stress: the test process's exit races its linked processes' deaths and the leftover check. */
    @Test
    void manyRunsLeaveNothingBehindAndReportEveryLinkedCrash() {
        try (CrashReports reports = CrashReports.captureQuietly()) {
            for (int i = 0; i < 50; i++) {
                assertEquals(SUCCESSFUL, status(Samples.class, "linkedProcessesAreNotLeftovers"), "run " + i);
                String message = failure(Samples.class, "isKilledByALinkedCrash").getMessage();
                assertTrue(message.startsWith("the test process exited with {java.lang.IllegalStateException: linked crash"),
                        "run " + i + ": " + message);
            }
            assertEquals(50, reports.reports().stream().filter(r -> r.message().contains("linked crash")).count(),
                    "one crash report per linked crash");
        }
    }

    @Test
    void probesAndCrashReportsAreInjected() {
        assertEquals(SUCCESSFUL, status(Samples.class, "getsAProbeAndCrashReports"));
    }

    @Test
    void aBodyOverTheTimeoutIsKilledAndFails() {
        ProcessSnapshot before = ProcessSnapshot.take();
        String message = failure(SlowSamples.class, "waitsForever").getMessage();
        assertEquals("the test process did not finish within PT0.2S and was killed (ProcessExtension.withTimeout sets the limit)", message);
        before.assertNoneLeft(Duration.ofSeconds(1)); // neither the killed body nor its watcher
    }
}

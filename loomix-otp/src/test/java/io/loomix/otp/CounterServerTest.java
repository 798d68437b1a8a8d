package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.CrashReports;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A user's GenServer tested with the kit (loomix-testkit), using the public API only: the
 * example of docs/notes/testkit.md. It lives here, not in the kit's own tests, since the kit must
 * not depend on loomix-otp while loomix-otp's tests depend on the kit. The server counts,
 * tells a subscriber when the count reaches a goal, and refuses (crashes on) a negative step.
 */
@ExtendWith(ProcessExtension.class)
class CounterServerTest {

    // ---- the code under test ----

    record Add(int step) {}

    record Get() {}

    record Reached(int goal) {}

    static final class Counter extends GenServer<Integer> {
        private final Pid subscriber;
        private final int goal;

        Counter(Pid subscriber, int goal) {
            this.subscriber = subscriber;
            this.goal = goal;
        }

        @Override
        protected Init<Integer> init() {
            return ok(0);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return reply(n, n);
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            if (!(request instanceof Add(int step)) || step < 0) {
                throw new IllegalArgumentException("a counter only counts up, got " + request);
            }
            if (n < goal && n + step >= goal) {
                send(subscriber, new Reached(goal));
            }
            return noReply(n + step);
        }
    }

    // ---- its tests ----

    @Test
    void countsAndTellsTheSubscriberOnceAtTheGoal(Probe probe) {
        Pid counter = GenServer.startLink(new Counter(self(), 3)); // dies with the test process
        GenServer.cast(counter, new Add(2));
        probe.expectNoMessage(Duration.ofMillis(20));
        GenServer.cast(counter, new Add(1));
        probe.expectMessage(new Reached(3));
        GenServer.cast(counter, new Add(5));
        assertEquals(8, (int) GenServer.call(counter, new Get()));
        probe.expectNoMessage(Duration.ofMillis(20));
    }

    @Test
    void aNegativeStepCrashesItWithAReport(Probe probe, CrashReports reports) {
        Pid counter = GenServer.start(new Counter(self(), 10));
        Ref ref = monitor(counter);
        GenServer.cast(counter, new Add(-1));
        Down down = probe.expectDown(ref);
        var crash = assertInstanceOf(ExitReason.Crash.class, down.reason());
        assertEquals("a counter only counts up, got Add[step=-1]", crash.error().getMessage());
        var report = reports.expect(r -> r.logger().equals("io.loomix.otp.GenServer"));
        assertTrue(report.message().contains("** Last message: {'$gen_cast',Add[step=-1]}"), report.message());
        assertTrue(report.message().contains("** State: 0"), report.message());
    }
}

package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.CrashReports;
import io.loomix.testkit.ManualClock;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A user's GenServer with a timeout, tested under the kit's manual time (the example of
 * docs/notes/clock.md): the behaviour's timeouts are the runtime's receive timeouts, so the
 * manual clock moves them as it moves sendAfter.
 */
@ExtendWith(ProcessExtension.class)
class ManualClockServerTest {
    @RegisterExtension
    final ManualClock clock = ManualClock.create();

    private final Probe probe = Probe.create();

    // ---- the code under test ----

    record Touch() {}

    record WentIdle(int touches) {}

    /** Tells its owner when it has gone 30 s without a touch; each touch starts the 30 s again. */
    static final class IdleWatch extends GenServer<Integer> {
        static final Duration IDLE = Duration.ofSeconds(30);
        private final Pid owner;

        IdleWatch(Pid owner) {
            this.owner = owner;
        }

        @Override
        protected Init<Integer> init() {
            return ok(0).withTimeout(IDLE);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer touches) {
            return reply("ok", touches + 1).withTimeout(IDLE);
        }

        @Override
        protected Result<Integer> handleInfo(Object message, Integer touches) {
            if (message == TIMEOUT) {
                send(owner, new WentIdle(touches));
            }
            return noReply(touches);
        }
    }

    /** Takes calls and never answers them. */
    static final class Silent extends GenServer<Object> {
        @Override
        protected Init<Object> init() {
            return ok("silent");
        }

        @Override
        protected CallResult<Object> handleCall(Object request, From from, Object state) {
            return noReply(state);
        }
    }

    // ---- the tests ----

    @Test
    void theServerGoesIdleAfterThirtySecondsWithoutATouch() {
        GenServer.startLink(new IdleWatch(self()));
        clock.awaitTimers(1);                        // its init's 30 s are counting
        clock.advance(Duration.ofSeconds(29));
        probe.expectNoMessage(Duration.ofMillis(50));
        clock.advance(Duration.ofSeconds(1));
        probe.expectMessage(new WentIdle(0));
    }

    @Test
    void aTouchStartsTheThirtySecondsAgain() {
        Pid server = GenServer.startLink(new IdleWatch(self()));
        clock.awaitTimers(1);
        clock.advance(Duration.ofSeconds(29));
        assertEquals("ok", GenServer.call(server, new Touch()));
        clock.awaitTimers(1);                        // it has replied and waits again, for 30 s from now
        clock.advance(Duration.ofSeconds(29));
        probe.expectNoMessage(Duration.ofMillis(50));
        clock.advance(Duration.ofSeconds(1));
        probe.expectMessage(new WentIdle(1));
        assertEquals(Duration.ofSeconds(59), clock.now());
    }

    @Test
    void aCallTimesOutAfterItsTimeoutOfManualTime(CrashReports reports) {
        Pid silent = GenServer.startLink(new Silent());
        Ref caller = spawnMonitor(() -> GenServer.call(silent, "hello", Duration.ofSeconds(5))).ref();
        clock.awaitTimers(1);
        clock.advance(Duration.ofMillis(4_999));
        probe.expectNoMessage(Duration.ofMillis(50));
        clock.advance(Duration.ofMillis(1));
        ExitReason reason = probe.expectDown(caller).reason();
        assertEquals(ExitReason.of(Gen.TIMEOUT), CallFailures.callFailure(reason).reason());
    }
}

package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13: {@code DynamicSupervisor.terminateChild} sometimes waited out the child's whole
 * shutdown timeout, with calls that time out interleaved. A child stopped with {@code shutdown}
 * must be seen to exit with {@code shutdown}: had the supervisor missed its Down until the timer
 * fired, it would have killed the child, and the child's Down would say {@code killed}.
 */
class ShutdownChurnTest {
    /** Long runs: minutes are allowed on a loaded two-core machine. */
    @RegisterExtension
    static final ProcessExtension loomix = ProcessExtension.create().withTimeout(Duration.ofMinutes(5));
    private static final Probe PROBE = Probe.withTimeout(Duration.ofSeconds(30));

    /** Answers every call after a pause longer than its callers wait. */
    static final class Slow extends GenServer<Object> {
        private final boolean trap;

        Slow(boolean trap) {
            this.trap = trap;
        }

        @Override
        protected Init<Object> init() {
            trapExit(trap);
            return ok(null);
        }

        @Override
        protected CallResult<Object> handleCall(Object request, From from, Object state) {
            sleep(Duration.ofMillis(3));
            return reply(request, state);
        }
    }

    @Test
    void stressTerminateChildSeesTheShutdownWhileCallsTimeOut() {
        churn(false);
    }

    @Test
    void stressTerminateChildOfTrappingChildrenWhileCallsToTheSupervisorTimeOut() {
        churn(true);
    }

    private static void churn(boolean trap) {
        for (int round = 0; round < 20; round++) {
            Pid sup = DynamicSupervisor.startLink();
            int children = 16;
            List<Pid> pids = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                pids.add(DynamicSupervisor.startChild(sup, ChildSpec.worker("slow", () -> GenServer.startLink(new Slow(trap)))));
            }
            List<Ref> callers = new ArrayList<>();
            for (Pid child : pids) {
                for (int c = 0; c < 3; c++) {
                    callers.add(spawnMonitor(() -> GenServer.call(child, "ping", Duration.ofMillis(1))).ref());
                }
                if (trap) {
                    callers.add(spawnMonitor(() -> GenServer.call(sup, new SupervisorServer.CountChildren(), Duration.ofMillis(1))).ref());
                }
            }
            List<Ref> watched = new ArrayList<>();
            for (Pid child : pids) {
                watched.add(monitor(child));
            }
            for (Pid child : pids) {
                assertTrue(DynamicSupervisor.terminateChild(sup, child));
            }
            for (Ref r : watched) {
                assertEquals(ExitReason.SHUTDOWN, PROBE.expectDown(r).reason(), "a child was killed after its shutdown timeout");
            }
            for (Ref r : callers) {
                PROBE.expectDown(r);
            }
            unlink(sup);
            exit(sup, ExitReason.SHUTDOWN);
        }
    }
}

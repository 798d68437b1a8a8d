package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ProcessExtension.class)
class DynamicSupervisorTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    record Started(Pid pid) {}

    static final class Worker extends GenServer<Object> {
        private final Pid recorder;

        Worker(Pid recorder) {
            this.recorder = recorder;
        }

        @Override
        protected Init<Object> init() {
            send(recorder, new Started(self()));
            return ok(null);
        }
    }

    private static ChildSpec worker(ChildSpec.Restart restart) {
        Pid me = self();
        return ChildSpec.worker("w", () -> GenServer.startLink(new Worker(me))).withRestart(restart);
    }

    private static Pid started() {
        return receive(m -> m instanceof Started s ? s.pid() : null);
    }

    @Test
    void startsRestartsAndForgetsChildren() {
        Pid sup = DynamicSupervisor.startLink();
        Pid a = DynamicSupervisor.startChild(sup, worker(ChildSpec.Restart.PERMANENT));
        Pid b = DynamicSupervisor.startChild(sup, worker(ChildSpec.Restart.TEMPORARY));
        assertEquals(List.of(a, b), List.of(started(), started()));
        exit(a, ExitReason.KILL);
        Pid a2 = started();
        assertNotEquals(a, a2);
        Ref m = monitor(b);
        exit(b, ExitReason.KILL);
        probe.expectDown(m);
        assertEquals(List.of(a2), DynamicSupervisor.whichChildren(sup).stream().map(c -> c.pid().orElseThrow()).toList());
        assertTrue(DynamicSupervisor.terminateChild(sup, a2));
        assertFalse(DynamicSupervisor.terminateChild(sup, a2));
        assertEquals(new Supervisor.ChildCount(0, 0, 0, 0), DynamicSupervisor.countChildren(sup));
    }

    @Test
    void maxChildrenRefusesMore() {
        Pid sup = DynamicSupervisor.startLink(DynamicSupervisor.Options.DEFAULT.withMaxChildren(2));
        DynamicSupervisor.startChild(sup, worker(ChildSpec.Restart.PERMANENT));
        DynamicSupervisor.startChild(sup, worker(ChildSpec.Restart.PERMANENT));
        StartException e = assertThrows(StartException.class,
                () -> DynamicSupervisor.startChild(sup, worker(ChildSpec.Restart.PERMANENT)));
        assertEquals(ExitReason.of(Atom.of("max_children")), e.reason());
    }

    @Test
    void beyondItsIntensityItStopsItsChildrenAndExits() {
        trapExit(true);
        Pid sup = DynamicSupervisor.startLink(DynamicSupervisor.Options.DEFAULT.withIntensity(1, Duration.ofMinutes(1)));
        Pid a = DynamicSupervisor.startChild(sup, worker(ChildSpec.Restart.PERMANENT));
        Pid other = DynamicSupervisor.startChild(sup, worker(ChildSpec.Restart.TRANSIENT));
        started();
        started();
        Ref otherDown = monitor(other);
        exit(a, ExitReason.KILL);
        Pid a2 = started();
        exit(a2, ExitReason.KILL);
        Exit e = receive(m -> m instanceof Exit x && x.from().equals(sup) ? x : null);
        assertEquals(ExitReason.SHUTDOWN, e.reason());
        assertEquals(ExitReason.SHUTDOWN, probe.expectDown(otherDown).reason());
    }
}

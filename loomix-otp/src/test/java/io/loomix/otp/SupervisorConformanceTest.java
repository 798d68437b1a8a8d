package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Supervisor and DynamicSupervisor edge cases, each checked against OTP 25 / Elixir 1.14
 * (supervisor_SUITE's restart-failure cases, Elixir's supervisor_test and dynamic_supervisor_test).
 */
@ExtendWith(ProcessExtension.class)
class SupervisorConformanceTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    private static final ExitReason REFUSED = ExitReason.of(Atom.of("refused"));

    static final class Idle extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(0);
        }
    }

    /** An agent holding whether the gated start function may start its child. */
    private static Pid gate(boolean open) {
        return Agent.startLink(() -> open); // ends with the test
    }

    private static void setGate(Pid gate, boolean open) {
        Agent.update(gate, (Boolean b) -> open);
    }

    /** Starts an Idle server while the gate is open, fails with {@code refused} while it is closed. */
    private static Supplier<Pid> gated(Pid gate) {
        return () -> {
            if (!Agent.<Boolean, Boolean>get(gate, b -> b)) {
                throw new StartException(REFUSED);
            }
            return GenServer.startLink(new Idle());
        };
    }

    private static SupervisorSpec restless(List<ChildSpec> children) {
        return SupervisorSpec.of(Strategy.ONE_FOR_ONE, children).withIntensity(Integer.MAX_VALUE, Duration.ofSeconds(1));
    }

    private static void kill(Pid pid) {
        Ref m = monitor(pid);
        exit(pid, ExitReason.KILL);
        probe.expectDown(m); // the supervisor has the Exit queued before anything the test sends next
    }

    @Test
    void aChildWhoseRestartKeepsFailingIsRestarting() {
        trapExit(true);
        Pid gate = gate(true);
        Pid sup = Supervisor.startLink(restless(List.of(new ChildSpec("a", gated(gate), ChildSpec.Restart.PERMANENT,
                ChildSpec.Shutdown.BRUTAL_KILL, ChildSpec.Type.WORKER))));
        Pid a = Supervisor.whichChildren(sup).getFirst().pid().orElseThrow();
        setGate(gate, false);
        kill(a);

        Supervisor.ChildInfo info = Supervisor.whichChildren(sup).getFirst();
        assertTrue(info.restarting(), "listed as restarting: " + info);
        assertTrue(info.pid().isEmpty());
        assertEquals(new Supervisor.ChildCount(1, 0, 0, 1), Supervisor.countChildren(sup));
        assertEquals(ExitReason.of(Atom.of("restarting")),
                assertThrows(StartException.class, () -> Supervisor.restartChild(sup, "a")).reason());
        assertEquals(ExitReason.of(Atom.of("restarting")),
                assertThrows(StartException.class, () -> Supervisor.deleteChild(sup, "a")).reason());

        assertTrue(Supervisor.terminateChild(sup, "a"), "terminate stops the retries");
        setGate(gate, true);
        Supervisor.whichChildren(sup); // any retry still queued has run by now
        info = Supervisor.whichChildren(sup).getFirst();
        assertFalse(info.restarting());
        assertTrue(info.pid().isEmpty(), "the child did not come back: " + info);
        assertNotNull(Supervisor.restartChild(sup, "a"));
    }

    @Test
    void aDynamicChildWhoseRestartKeepsFailingIsCountedListedAndHeldAgainstMaxChildren() {
        trapExit(true);
        Pid gate = gate(true);
        Pid sup = DynamicSupervisor.startLink(DynamicSupervisor.Options.DEFAULT.withMaxChildren(1)
                .withIntensity(Integer.MAX_VALUE, Duration.ofSeconds(1)));
        Pid a = DynamicSupervisor.startChild(sup, ChildSpec.worker("a", gated(gate)));
        setGate(gate, false);
        kill(a);

        Supervisor.ChildInfo info = DynamicSupervisor.whichChildren(sup).getFirst();
        assertTrue(info.restarting(), "listed as restarting: " + info);
        assertEquals(new Supervisor.ChildCount(1, 0, 0, 1), DynamicSupervisor.countChildren(sup));
        assertEquals(ExitReason.of(Atom.of("max_children")), assertThrows(StartException.class,
                () -> DynamicSupervisor.startChild(sup, ChildSpec.worker("b", () -> GenServer.startLink(new Idle()))))
                .reason());

        assertTrue(DynamicSupervisor.terminateChild(sup, a), "a restarting child is known by its last pid");
        assertFalse(DynamicSupervisor.terminateChild(sup, a), "Elixir: {:error, :not_found} the second time");
        setGate(gate, true);
        DynamicSupervisor.countChildren(sup); // any retry still queued has run by now
        assertEquals(new Supervisor.ChildCount(0, 0, 0, 0), DynamicSupervisor.countChildren(sup));
    }

    @Test
    void aStartFunctionThatThrowsOrExitsIsAnErrorAndTheSupervisorLives() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(), Strategy.ONE_FOR_ONE);
        Pid dyn = DynamicSupervisor.startLink();
        List<Supplier<Pid>> bad = List.of(
                () -> {
                    throw exit(Atom.of("bad"));
                },
                () -> {
                    throw new AssertionError("an Error");
                },
                () -> sneakyThrow(new IOException("a checked exception")));
        for (int i = 0; i < bad.size(); i++) {
            ChildSpec spec = ChildSpec.worker("bad" + i, bad.get(i));
            ExitReason r1 = assertThrows(StartException.class, () -> Supervisor.startChild(sup, spec)).reason();
            ExitReason r2 = assertThrows(StartException.class, () -> DynamicSupervisor.startChild(dyn, spec)).reason();
            assertEquals(r1.getClass(), r2.getClass());
            if (i == 0) {
                assertEquals(ExitReason.of(Atom.of("bad")), r1);
            } else {
                assertInstanceOf(ExitReason.Crash.class, r1);
            }
        }
        assertTrue(alive(sup) && alive(dyn));
        assertEquals(List.of(), Supervisor.whichChildren(sup), "a failed start adds no child");
        assertEquals(List.of(), DynamicSupervisor.whichChildren(dyn));
    }

    @Test
    void aDynamicPermanentChildWhoseRestartIgnoresIsRemoved() {
        trapExit(true);
        Pid gate = gate(true);
        Pid sup = DynamicSupervisor.startLink();
        Pid a = DynamicSupervisor.startChild(sup, ChildSpec.worker("a", () -> {
            if (!Agent.<Boolean, Boolean>get(gate, b -> b)) {
                throw new StartException(StartException.IGNORE);
            }
            return GenServer.startLink(new Idle());
        }));
        setGate(gate, false);
        kill(a);
        assertEquals(new Supervisor.ChildCount(0, 0, 0, 0), DynamicSupervisor.countChildren(sup));
        assertTrue(alive(sup));
    }

    @Test
    void aDuplicateChildIdSaysItIsAChildId() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(ChildSpec.worker("a", () -> GenServer.startLink(new Idle()))),
                Strategy.ONE_FOR_ONE);
        StartException e = assertThrows(StartException.class,
                () -> Supervisor.startChild(sup, ChildSpec.worker("a", () -> GenServer.startLink(new Idle()))));
        assertInstanceOf(ExitReason.Term.class, e.reason());
        assertTrue(e.getMessage().contains("child id"), e.getMessage());
    }

    /**
     * Pins the 5 s terminateChild of issue 12 from this side: a child that exits at once on
     * shutdown is never waited for up to its shutdown timeout. The shutdown timeout is long, so a
     * lost wake-up shows as the churn not finishing within its bound rather than as a slow run.
     */
    @Test
    void terminateChildChurnNeverWaitsOutTheShutdownTimeout() {
        Pid me = self();
        for (int worker = 0; worker < 4; worker++) { // both carriers busy
            spawn(() -> {
                Pid sup = DynamicSupervisor.startLink();
                ChildSpec spec = ChildSpec.worker("w", () -> GenServer.startLink(new Idle()))
                        .withShutdown(ChildSpec.Shutdown.timeout(Duration.ofSeconds(60)));
                for (int i = 0; i < 1_000; i++) {
                    Pid child = DynamicSupervisor.startChild(sup, spec);
                    assertTrue(DynamicSupervisor.terminateChild(sup, child));
                }
                send(me, "done");
            });
        }
        for (int worker = 0; worker < 4; worker++) {
            assertEquals("done", receive(Duration.ofSeconds(50), m -> m instanceof String s ? s : null,
                    () -> "a terminateChild waited out its 60 s shutdown timeout (lost wake-up, issue 13)"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable, R> R sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}

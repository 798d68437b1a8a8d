package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Priority;
import io.loomix.SpawnOptions;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.loomix.Process.*;
import static io.loomix.otp.CallFailures.callFailure;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The supervision API Elixir and OTP users reach for: module-style supervisors, child_spec
 * conventions, whichChild/getChildspec, significant children with auto_shutdown, extra arguments,
 * named agents; and exit reasons that print without lambda class names.
 */
@ExtendWith(ProcessExtension.class)
class SupervisorApiTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    record Get() {}

    /** Holds the value it was made with; its child spec is the default one. */
    static final class Holder extends GenServer<Object> {
        private final Object value;

        Holder(Object value) {
            this.value = value;
        }

        @Override
        protected Init<Object> init() {
            return ok(value);
        }

        @Override
        protected CallResult<Object> handleCall(Object request, From from, Object state) {
            return reply(state, state);
        }

        @Override
        protected Result<Object> handleCast(Object request, Object state) {
            return stop(ExitReason.NORMAL, state); // finishes by itself: what a significant child does
        }
    }

    static final class App extends Supervisor.Module {
        private final String agentName;

        App(String agentName) {
            this.agentName = agentName;
        }

        @Override
        protected Init<SupervisorSpec> init() {
            return Init.ok(SupervisorSpec.of(Strategy.ONE_FOR_ONE, List.of(
                    Agent.childSpec("agent", () -> self().toString()), // runs in the child: proves init ran in the supervisor
                    new Holder("h").childSpec(),
                    ChildSpec.worker("named", () -> Agent.startLink(() -> 0, agentName)))));
        }
    }

    @Test
    void aModuleStyleSupervisorBuildsItsSpecInInit() {
        trapExit(true);
        Pid sup = Supervisor.startLink(new App("module_agent"), "module_sup");
        assertEquals(sup, whereis("module_sup").orElseThrow());
        assertEquals(3, Supervisor.countChildren(sup).active());
        Pid holder = Supervisor.whichChild(sup, Holder.class.getName()).orElseThrow().pid().orElseThrow();
        assertEquals("h", GenServer.call(holder, new Get()));
        assertEquals(0, (int) Agent.get("module_agent", (Integer n) -> n));
        assertEquals(Optional.empty(), Supervisor.whichChild(sup, "nobody"));
        ChildSpec spec = Supervisor.getChildspec(sup, "agent").orElseThrow();
        assertEquals(ChildSpec.Restart.PERMANENT, spec.restart());
        assertEquals(Optional.empty(), Supervisor.getChildspec(sup, "nobody"));

        Pid ignored = assertThrows(StartException.class, () -> Supervisor.startLink(new Supervisor.Module() {
            @Override
            protected Init<SupervisorSpec> init() {
                return Init.ignore();
            }
        })).ignored() ? null : self();
        assertNull(ignored);
    }

    @Test
    void anySignificantChildExitingByItselfShutsTheSupervisorDown() {
        trapExit(true);
        ChildSpec sig = new Holder("s").childSpec().withId("s").withRestart(ChildSpec.Restart.TRANSIENT)
                .withSignificant(true);
        ChildSpec other = new Holder("o").childSpec().withId("o");
        Pid sup = Supervisor.startLink(SupervisorSpec.of(Strategy.ONE_FOR_ONE, List.of(sig, other))
                .withAutoShutdown(SupervisorSpec.AutoShutdown.ANY_SIGNIFICANT));
        Monitored m = new Monitored(sup, monitor(sup));

        assertTrue(Supervisor.terminateChild(sup, "s"), "a significant child the supervisor stops does not count");
        assertTrue(alive(sup));
        Supervisor.restartChild(sup, "s");
        GenServer.cast(Supervisor.whichChild(sup, "s").orElseThrow().pid().orElseThrow(), "finish");
        assertEquals(ExitReason.SHUTDOWN, probe.expectDown(m.ref()).reason());
    }

    @Test
    void allSignificantWaitsForTheLastSignificantChild() {
        trapExit(true);
        List<ChildSpec> children = List.of(
                new Holder(1).childSpec().withId("a").withRestart(ChildSpec.Restart.TEMPORARY).withSignificant(true),
                new Holder(2).childSpec().withId("b").withRestart(ChildSpec.Restart.TEMPORARY).withSignificant(true),
                new Holder(3).childSpec().withId("c"));
        Pid sup = Supervisor.startLink(SupervisorSpec.of(Strategy.ONE_FOR_ONE, children)
                .withAutoShutdown(SupervisorSpec.AutoShutdown.ALL_SIGNIFICANT));
        var m = monitor(sup);
        Pid a = Supervisor.whichChild(sup, "a").orElseThrow().pid().orElseThrow();
        var am = monitor(a);
        GenServer.cast(a, "finish");
        probe.expectDown(am); // the supervisor has a's Exit queued before the next call
        assertEquals(2, Supervisor.countChildren(sup).specs(), "one significant child is still running");
        GenServer.cast(Supervisor.whichChild(sup, "b").orElseThrow().pid().orElseThrow(), "finish");
        assertEquals(ExitReason.SHUTDOWN, probe.expectDown(m).reason());
    }

    @Test
    void aPermanentChildCannotBeSignificant() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChildSpec.worker("p", () -> null).withSignificant(true));
        assertTrue(e.getMessage().contains("permanent child cannot be significant"), e.getMessage());
    }

    static final class Pool extends DynamicSupervisor.Module {
        @Override
        protected Init<DynamicSupervisor.Options> init() {
            return Init.ok(DynamicSupervisor.Options.DEFAULT.withExtraArguments(List.of("conn")));
        }
    }

    @Test
    void aDynamicSupervisorGivesItsExtraArgumentsToEachChild() {
        trapExit(true);
        Pid pool = DynamicSupervisor.startLink(new Pool());
        Pid child = DynamicSupervisor.startChild(pool, ChildSpec.worker("w",
                (List<Object> extra) -> GenServer.startLink(new Holder(List.of(extra.get(0), "own")))));
        assertEquals(List.of("conn", "own"), GenServer.call(child, new Get()));
        Pid plain = DynamicSupervisor.startChild(pool, new Holder("plain").childSpec());
        assertEquals("plain", GenServer.call(plain, new Get()));
    }

    @Test
    void agentsStartNamedAndWithSpawnOptions() {
        Pid a = Agent.start(() -> 1, "named_agent");
        assertEquals(1, (int) Agent.get("named_agent", (Integer n) -> n));
        Pid b = Agent.start(() -> 2, StartOptions.DEFAULT.withName("optioned_agent")
                .withSpawn(SpawnOptions.DEFAULT.withPriority(Priority.LOW)));
        assertEquals(Priority.LOW, info(b).orElseThrow().priority());
        assertEquals(b, whereis("optioned_agent").orElseThrow());
        Agent.stop(a);
        Agent.stop(b);
    }

    @Test
    void exitReasonsPrintWithoutLambdaClassNames() {
        Pid agent = Agent.start(() -> 0);
        Agent.stop(agent);
        CallFailed f = callFailure(probe.exitReasonOf(() -> Agent.get(agent, (Integer n) -> n)));
        assertEquals("{noproc,{Agent,get,[" + agent + ",{get,#Function},5000]}}", f.toString());
        ChildSpec spec = ChildSpec.worker("w", () -> null);
        assertEquals("#{id => w, start => #Function, restart => permanent, shutdown => 5000, type => worker}",
                spec.toString());
        assertFalse(new Gen.Call(new From(self(), makeRef()), "req").toString().contains("Lambda"));
        assertTrue(new Gen.Cast("req").toString().startsWith("{'$gen_cast'"));
        Pid sup = Supervisor.startLink(List.of(), Strategy.ONE_FOR_ONE);
        unlink(sup);
        GenServer.stop(sup);
        CallFailed which = callFailure(probe.exitReasonOf(() -> Supervisor.whichChildren(sup)));
        assertEquals("{noproc,{GenServer,call,[" + sup + ",which_children,infinity]}}", which.toString());
        CallFailed start = callFailure(probe.exitReasonOf(() -> Supervisor.startChild(sup, spec)));
        assertFalse(start.toString().contains("Lambda") || start.toString().contains("StartChild["), start.toString());
        assertNotNull(Atom.of("ok"));
    }

    @Test
    void aStartFunctionCanReturnInformationWithThePid() {
        trapExit(true);
        ChildSpec spec = ChildSpec.workerWithInfo("i", () -> new ChildSpec.Started(
                GenServer.startLink(new Holder("x")), "port 8080"));
        Pid sup = Supervisor.startLink(List.of(), Strategy.ONE_FOR_ONE);
        ChildSpec.Started s = Supervisor.startChildWithInfo(sup, spec);
        assertEquals("port 8080", s.info());
        assertEquals(s.pid(), Supervisor.whichChild(sup, "i").orElseThrow().pid().orElseThrow());
        Pid dyn = DynamicSupervisor.startLink();
        ChildSpec.Started d = DynamicSupervisor.startChildWithInfo(dyn, spec);
        assertEquals("port 8080", d.info());
        assertNull(Supervisor.startChildWithInfo(sup, new Holder("y").childSpec()).info(), "a plain start has no info");
    }
}

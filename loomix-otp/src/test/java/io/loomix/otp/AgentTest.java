package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.loomix.Process.*;
import static io.loomix.otp.CallFailures.callFailure;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ProcessExtension.class)
class AgentTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    private static Map<String, Integer> plus(Map<String, Integer> m, String key) {
        Map<String, Integer> next = new HashMap<>(m);
        next.merge(key, 1, Integer::sum);
        return Map.copyOf(next);
    }

    @Test
    void sharedStateReadAndChangedByFunctions() {
        Pid visits = Agent.start(() -> Map.<String, Integer>of());
        Agent.update(visits, (Map<String, Integer> m) -> plus(m, "/home"));
        Agent.cast(visits, (Map<String, Integer> m) -> plus(m, "/home"));
        Agent.cast(visits, (Map<String, Integer> m) -> plus(m, "/about"));
        int home = Agent.get(visits, (Map<String, Integer> m) -> m.getOrDefault("/home", 0));
        assertEquals(2, home);
        int before = Agent.getAndUpdate(visits, (Map<String, Integer> m) ->
                new Agent.GetAndUpdate<>(m.getOrDefault("/about", 0), plus(m, "/about")));
        assertEquals(1, before);
        assertEquals(Map.of("/home", 2, "/about", 2), Agent.get(visits, (Map<String, Integer> m) -> m));
        Agent.stop(visits);
        assertFalse(alive(visits));
    }

    @Test
    void updatesFromManyProcessesNeverRace() {
        Pid counter = Agent.startLink(() -> 0, "agent_counter");
        List<Pid> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            workers.add(spawn(() -> {
                for (int j = 0; j < 20; j++) {
                    Agent.update("agent_counter", (Integer n) -> n + 1);
                }
            }));
        }
        for (Pid w : workers) {
            probe.expectDown(monitor(w));
        }
        assertEquals(1000, (int) Agent.get(counter, (Integer n) -> n));
    }

    @Test
    void callsTimeOutAndNoprocLikeGenServer() {
        Pid slow = Agent.start(() -> 0);
        CallFailed f = callFailure(probe.exitReasonOf(() -> Agent.get(slow, (Integer n) -> {
            receive(Duration.ofMillis(200), m -> null, () -> null);
            return n;
        }, Duration.ofMillis(10))));
        assertEquals(ExitReason.of(Atom.of("timeout")), f.reason());
        assertEquals("Agent.get", f.function());
        Agent.stop(slow);
        assertEquals(ExitReason.NOPROC, callFailure(probe.exitReasonOf(() -> Agent.update(slow, (Integer n) -> n))).reason());
    }

    @Test
    void aFunctionThatThrowsCrashesTheAgentAndTheCaller() {
        Pid agent = Agent.start(() -> 1);
        CallFailed f = callFailure(probe.exitReasonOf(() -> Agent.update(agent, (Integer n) -> n / 0)));
        assertInstanceOf(ArithmeticException.class, ((ExitReason.Crash) f.reason()).error());
        assertFalse(alive(agent));
    }
}

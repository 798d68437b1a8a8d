package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.loomix.Process.*;
import static io.loomix.otp.CallFailures.callFailure;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ProcessExtension.class)
class RegistryTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    record Get() {}

    /** Registers itself under each key, tells the test, then waits to be told to exit. */
    private static Pid registrant(Registry registry, Object value, Object... keys) {
        Pid me = self();
        Pid pid = spawn(() -> {
            for (Object key : keys) {
                send(me, List.of(key, registry.register(key, value)));
            }
            receive(m -> "exit".equals(m) ? m : null);
        });
        for (Object ignored : keys) {
            receive(m -> m instanceof List<?> ? m : null);
        }
        return pid;
    }

    @Test
    void uniqueKeysHaveOneProcess() {
        Registry reg = Registry.startLink("unique_reg", Registry.Keys.UNIQUE);
        Pid a = registrant(reg, "va", "k");
        assertEquals(List.of(new Registry.Entry(a, "va")), reg.lookup("k"));
        assertTrue(reg.register("mine", 1));
        assertFalse(reg.register("k", 2), "taken by a");
        assertFalse(reg.register("mine", 3), "taken by me");
        assertEquals(List.of("mine"), reg.keys(self()));
        assertEquals(2, reg.count());
        reg.unregister("mine");
        assertEquals(List.of(), reg.lookup("mine"));
        assertEquals(List.of(), reg.keys(self()));
    }

    @Test
    void duplicateKeysHaveManyProcesses() {
        Registry reg = Registry.startLink("dup_reg", Registry.Keys.DUPLICATE);
        Pid a = registrant(reg, 1, "topic");
        Pid b = registrant(reg, 2, "topic", "other");
        assertEquals(List.of(new Registry.Entry(a, 1), new Registry.Entry(b, 2)), reg.lookup("topic"));
        assertEquals(List.of("topic", "other"), reg.keys(b));
        assertEquals(3, reg.count());
    }

    @Test
    void entriesGoWhenTheProcessExits() {
        Registry reg = Registry.startLink("exit_reg", Registry.Keys.DUPLICATE, List.of(self()));
        Pid a = registrant(reg, "v", "x", "y");
        Pid b = registrant(reg, "w", "x");
        assertEquals(new Registry.Registered(reg.name(), "x", a, "v"),
                receive(m -> m instanceof Registry.Registered r && r.pid().equals(a) ? r : null));
        send(a, "exit");
        Registry.Unregistered first = receive(m -> m instanceof Registry.Unregistered u ? u : null);
        Registry.Unregistered second = receive(m -> m instanceof Registry.Unregistered u ? u : null);
        assertEquals(List.of("x", "y"), List.of(first.key(), second.key()));
        assertEquals(a, first.pid());
        // Both entries of a are gone from the table itself, not only hidden from lookups.
        assertEquals(List.of(new Registry.Entry(b, "w")), reg.lookup("x"));
        assertEquals(1, reg.count());
        assertFalse(Registry.class.getDeclaredClasses().length == 0);
    }

    static final class Room extends GenServer<String> {
        @Override
        protected Init<String> init() {
            return ok("lobby");
        }

        @Override
        protected CallResult<String> handleCall(Object request, From from, String state) {
            return reply(state, state);
        }
    }

    @Test
    void aUniqueRegistryNamesGenServersViaKeys() {
        Registry rooms = Registry.startLink("rooms", Registry.Keys.UNIQUE);
        Via lobby = new Via(rooms, "lobby");
        Pid room = GenServer.start(new Room(), lobby);
        assertEquals("lobby", GenServer.call(lobby, new Get()));
        assertEquals(List.of(new Registry.Entry(room, Atom.of("undefined"))), rooms.lookup("lobby"));
        StartException taken = assertThrows(StartException.class, () -> GenServer.start(new Room(), lobby));
        assertEquals(ExitReason.of(new StartException.AlreadyStarted(room)), taken.reason());
        Ref m = monitor(room);
        GenServer.stop(lobby);
        probe.expectDown(m);
        assertEquals(List.of(), rooms.lookup("lobby"));
        assertEquals(ExitReason.NOPROC, callFailure(probe.exitReasonOf(() -> GenServer.call(lobby, new Get()))).reason());
        GenServer.start(new Room(), lobby);                // the name is free again
        assertEquals("lobby", GenServer.call(lobby, new Get()));
    }

    @Test
    void anUnknownRegistrySaysHowToStartIt() {
        Registry never = new Registry(Atom.of("never_started"), Registry.Keys.UNIQUE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> never.lookup("k"));
        assertTrue(e.getMessage().contains("Registry.startLink"), e.getMessage());
    }
}

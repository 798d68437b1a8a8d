package io.loomix;

import org.junit.jupiter.api.Test;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** register / unregister / whereis / send by name, with Erlang's badarg cases. */
class RegistryTest {

    @Test
    void aLocalNameMadeBeforeTheNodeStartedStillReachesTheProcess() {
        Name early = Name.local("reg_early");   // {reg_early, nonode@nohost}
        LocalNode.start(Atom.of("regtest@localhost"), 3);
        try {
            run(() -> {
                register("reg_early", self());
                send(early, "here");           // erlang: {Name, node()} and a name on nonode@nohost are local
                assertEquals("here", receive(java.time.Duration.ofSeconds(5), m -> m, () -> "nothing arrived"));
            });
        } finally {
            LocalNode.stop();
        }
    }

    @Test
    void sendByNameAndByNameNode() {
        run(() -> {
            Pid me = self();
            Pid p = spawn(() -> {
                for (int i = 0; i < 2; i++) {
                    send(me, "got " + receive());
                }
            });
            register("reg_echo", p);
            assertEquals(p, whereis("reg_echo").orElseThrow());
            assertTrue(registered().contains(Atom.of("reg_echo")));
            send("reg_echo", 1);
            send(Name.local("reg_echo"), 2);
            assertEquals("got 1", receive());
            assertEquals("got 2", receive());
        });
    }

    @Test
    void nameIsRemovedWhenTheProcessExits() {
        run(() -> {
            Monitored m = spawnMonitor(() -> receive());
            register("short_lived", m.pid());
            send("short_lived", "stop");
            Await.down(m.ref());
            assertTrue(whereis("short_lived").isEmpty());
            assertFalse(registered().contains(Atom.of("short_lived")));
        });
    }

    @Test
    void sendToUnregisteredNameIsBadargButNameNodeIsDropped() {
        run(() -> {
            var e = assertThrows(IllegalArgumentException.class, () -> send("nobody", "x"));
            assertTrue(e.getMessage().startsWith("badarg"), e.getMessage());
            assertEquals("x", send(Name.local("nobody"), "x"));
            assertEquals("y", send(Name.of("somebody", "other@nohost"), "y"));
        });
    }

    @Test
    void registerBadargCases() {
        run(() -> {
            Pid a = spawn(() -> receive());
            Pid b = spawn(() -> receive());
            register("taken_name", a);
            var taken = assertThrows(IllegalArgumentException.class, () -> register("taken_name", b));
            assertTrue(taken.getMessage().contains("already registered"), taken.getMessage());
            var twice = assertThrows(IllegalArgumentException.class, () -> register("second_name", a));
            assertTrue(twice.getMessage().contains("already registered as"), twice.getMessage());
            assertThrows(IllegalArgumentException.class, () -> register("undefined", b));
            assertThrows(IllegalArgumentException.class, () -> unregister("never_registered"));

            Monitored dead = spawnMonitor(() -> {});
            Await.down(dead.ref());
            var gone = assertThrows(IllegalArgumentException.class, () -> register("dead_one", dead.pid()));
            assertTrue(gone.getMessage().contains("not alive"), gone.getMessage());

            unregister("taken_name");
            register("taken_name", b);
            assertEquals(b, whereis("taken_name").orElseThrow());
            exit(a, ExitReason.KILL);
            exit(b, ExitReason.KILL);
        });
    }
}

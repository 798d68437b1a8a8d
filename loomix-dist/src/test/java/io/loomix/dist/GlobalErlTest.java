package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.GlobalErl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Global names between a Loomix node and a real erl node speaking OTP's own global: each side
 * finds the other's names, a conflict made before the nodes met is resolved as global resolves it,
 * and names of a dead node or process go.
 */
class GlobalErlTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;

    private void start(String name) {
        me = Node.start(name, "gcookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    private Child erl(String sname, String preName) {
        return Erl.start(epmd.port(), sname, "gcookie", GlobalErl.program(List.of(me.name()), preName));
    }

    private static Tuple await(Predicate<Tuple> p) {
        return (Tuple) receive(WAIT, m -> m instanceof Tuple t && p.test(t) ? t : null, () -> fail("no such message within " + WAIT));
    }

    private static Tuple ask(Pid erl, String op, String name) {
        send(erl, Tuple.of(self(), Atom.of(op), Atom.of(name)));
        return await(t -> t.size() >= 2 && t.get(1) == Atom.of(name) && !(t.get(0) instanceof Pid));
    }

    private static Pid idle() {
        return spawn(() -> receive(m -> m == Atom.of("stop") ? m : null));
    }

    @Test
    void namesRegisteredOnEitherSideAreFoundOnTheOther() throws Exception {
        start("gx");
        run(() -> {
            register("tester", self());
            try (Child erl = erl("gerl", null)) {
                Pid e = (Pid) await(t -> t.get(0) == Atom.of("erl")).get(1);
                assertTrue(Global.sync(WAIT));

                Tuple reg = ask(e, "register", "from_erl");
                assertEquals(Atom.of("yes"), reg.get(2));
                assertEquals(reg.get(3), Global.whereis("from_erl").orElse(null));

                Pid ours = idle();
                assertTrue(Global.register("from_loomix", ours));
                assertEquals(ours, ask(e, "where", "from_loomix").get(2));
                assertTrue(Global.registeredNames().containsAll(List.of(Atom.of("from_erl"), Atom.of("from_loomix"))));

                // taken on either side: no
                assertEquals(Atom.of("no"), ask(e, "register", "from_loomix").get(2));
                assertFalse(Global.register("from_erl", idle()));
                assertFalse(Global.register("second_name", ours), "a process has one global name");

                // Global.send reaches the erl process by its global name
                assertEquals(reg.get(3), Global.send("from_erl", Atom.of("stop")));
                assertEquals(Atom.of("undefined"), ask(e, "gone", "from_erl").get(2));
                // global:unregister_name on erl, Global.unregister here
                Global.unregister("from_loomix");
                assertEquals(Atom.of("undefined"), ask(e, "where", "from_loomix").get(2));
                assertTrue(Global.register("from_loomix", ours));
                ask(e, "unregister", "from_loomix");
                assertTrue(Global.whereis("from_loomix").isEmpty());

                // a registered process that exits loses its name, here and on erl
                assertTrue(Global.register("short_lived", ours));
                assertEquals(ours, ask(e, "where", "short_lived").get(2));
                send(ours, Atom.of("stop"));
                assertEquals(Atom.of("undefined"), ask(e, "gone", "short_lived").get(2));
                assertTrue(Global.whereis("short_lived").isEmpty());
            }
            return null;
        });
    }

    @Test
    void aKilledErlNodesNamesAreReleased() throws Exception {
        start("gk");
        run(() -> {
            register("tester", self());
            Child erl = erl("gkerl", null);
            try {
                Pid e = (Pid) await(t -> t.get(0) == Atom.of("erl")).get(1);
                Tuple reg = ask(e, "register", "doomed");
                assertEquals(reg.get(3), Global.whereis("doomed").orElse(null));
                Node.monitor(e.node());
                erl.close(); // SIGKILL
                receive(WAIT, m -> m instanceof NodeDown d && d.node() == e.node() ? d : null, () -> fail("no nodedown"));
                // the name server had its DOWN before NodeDown went out; a round trip through it has handled it
                assertTrue(Global.sync(WAIT));
                assertTrue(Global.whereis("doomed").isEmpty(), "the dead node's name is released");
            } finally {
                erl.close();
            }
            return null;
        });
    }

    /**
     * The same name registered on both nodes before they meet: the node with the smaller name
     * resolves it, random_exit_name keeps the pid on the smaller node and kills the other.
     */
    private void conflict(String ourName, boolean erlWins) {
        start(ourName);
        run(() -> {
            register("tester", self());
            Pid ours = idle();
            assertTrue(Global.register("both", ours));
            Ref watch = monitor(ours);
            try (Child erl = erl("mconf", "both")) {
                Tuple hello = await(t -> t.get(0) == Atom.of("erl"));
                Pid e = (Pid) hello.get(1);
                Pid theirs = (Pid) hello.get(2);
                assertTrue(Global.sync(WAIT));
                Pid winner = erlWins ? theirs : ours;
                if (erlWins) {
                    Down d = (Down) receive(WAIT, m -> m instanceof Down x && x.ref().equals(watch) ? x : null, () -> fail("ours lived"));
                    assertEquals(ExitReason.KILLED, d.reason());
                } else {
                    assertEquals(Atom.of("killed"), ask(e, "pre_down", "both").get(2)); // erl's monitor saw it
                }
                assertEquals(winner, Global.whereis("both").orElse(null));
                assertEquals(winner, ask(e, "where", "both").get(2));
            }
            return null;
        });
    }

    @Test
    void aConflictResolvedByErlKeepsItsPid() {
        conflict("zconf", true); // mconf@h < zconf@h: erl decides; its pid is on the smaller node
    }

    @Test
    void aConflictResolvedByLoomixKeepsOurs() {
        conflict("aconf", false); // aconf@h < mconf@h: we decide, and ours is on the smaller node
    }
}

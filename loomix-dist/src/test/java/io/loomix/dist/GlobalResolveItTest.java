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
 * A name conflict that an erl node resolves for a pid of this node: erl node {@code ares} holds
 * our registration of {@code dup}; a third node, which registered {@code dup} for a pid of its
 * own while apart, connects to {@code ares} only. {@code ares} has the smaller name, so it decides,
 * and global.erl calls {@code rpc:call(OurNode, global, resolve_it, [Method, dup, Theirs, Ours])}
 * here; random_exit_name keeps the pid on the node with the smaller name and kills the other.
 * Afterwards all three nodes name the same pid.
 */
class GlobalResolveItTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();

    private static Tuple await(Predicate<Tuple> p) {
        return (Tuple) receive(WAIT, m -> m instanceof Tuple t && p.test(t) ? t : null, () -> fail("no such message within " + WAIT));
    }

    private static Tuple ask(Pid erl, String op, String name) {
        send(erl, Tuple.of(self(), Atom.of(op), Atom.of(name)));
        return await(t -> t.size() >= 2 && t.get(1) == Atom.of(name) && !(t.get(0) instanceof Pid));
    }

    private static Tuple hello(String sname) {
        return await(t -> t.get(0) == Atom.of("erl") && ((Pid) t.get(1)).node() == Atom.of(sname + "@" + HOST));
    }

    private void resolvedOnErlForOurPid(String third, boolean oursWins) {
        Atom me = Node.start("mres", "rcookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        run(() -> {
            register("tester", self());
            Pid ours = spawn(() -> receive(m -> m == Atom.of("stop") ? m : null));
            assertTrue(Global.register("dup", ours));
            Ref watch = monitor(ours);
            try (Child a = Erl.start(epmd.port(), "ares", "rcookie", GlobalErl.program(List.of(me.name()), null))) {
                Pid ares = (Pid) hello("ares").get(1);
                assertEquals(ours, ask(ares, "where", "dup").get(2), "ares knows our registration");
                String program = GlobalErl.program(List.of("ares@" + HOST), me.name(), "dup");
                try (Child c = Erl.start(epmd.port(), third, "rcookie", program)) {
                    Tuple hi = hello(third);
                    Pid other = (Pid) hi.get(1);
                    Pid theirs = (Pid) hi.get(2);
                    if (oursWins) {
                        assertEquals(Atom.of("killed"), ask(other, "pre_down", "dup").get(2));
                    } else {
                        Down d = (Down) receive(WAIT, m -> m instanceof Down x && x.ref().equals(watch) ? x : null,
                                () -> fail("ours lived"));
                        assertEquals(ExitReason.KILLED, d.reason());
                    }
                    assertEquals(Atom.of("ok"), ask(other, "sync", "dup").get(2));
                    assertTrue(Global.sync(WAIT));
                    Pid winner = oursWins ? ours : theirs;
                    assertEquals(winner, Global.whereis("dup").orElse(null), "here");
                    assertEquals(winner, ask(ares, "where", "dup").get(2), "on ares, which resolved it");
                    assertEquals(winner, ask(other, "where", "dup").get(2), "on " + third);
                }
            }
            return null;
        });
    }

    @Test
    void ourPidOnTheSmallerNodeKeepsTheName() {
        resolvedOnErlForOurPid("zres", true); // mres < zres: their pid is killed, on ares's word from us
    }

    @Test
    void theirPidOnTheSmallerNodeKeepsTheName() {
        resolvedOnErlForOurPid("bres", false); // bres < mres: we kill ours when ares asks
    }
}

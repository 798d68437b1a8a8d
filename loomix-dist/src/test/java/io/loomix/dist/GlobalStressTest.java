package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.GlobalErl;
import io.loomix.dist.testing.GlobalPeer;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Registrations of the same names racing from two nodes at once, each from its own process: for
 * every name exactly one registration answers yes, and both nodes then name the same pid. This is
 * what global's lock ({global, Registrar} on every known node, the boss first) must guarantee.
 */
class GlobalStressTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 5;
    private static final int NAMES = 12;
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();

    /** Our racers: name -> (yes?, pid), each from its own process. */
    private static Map<String, Object[]> raceHere(List<String> names) {
        Pid me = self();
        for (String n : names) {
            spawn(() -> {
                Pid p = spawn(() -> receive(m -> m == Atom.of("stop") ? m : null));
                send(me, Tuple.of(Atom.of("ours"), n, Global.register(n, p), p));
            });
        }
        Map<String, Object[]> got = new HashMap<>();
        while (got.size() < names.size()) {
            Tuple t = (Tuple) receive(WAIT, m -> m instanceof Tuple x && x.get(0) == Atom.of("ours") ? x : null,
                    () -> fail("our registrations did not all return within " + WAIT));
            got.put((String) t.get(1), new Object[] {t.get(2), t.get(3)});
        }
        return got;
    }

    @Test
    void racingRegistrationsWithErlHaveOneWinnerEach() {
        Atom me = Node.start("gsx", "gs", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        run(() -> {
            register("tester", self());
            try (Child erl = Erl.start(epmd.port(), "gserl", "gs", GlobalErl.program(List.of(me.name()), null))) {
                Pid e = (Pid) ((Tuple) receive(WAIT, m -> m instanceof Tuple t && t.get(0) == Atom.of("erl") ? t : null,
                        () -> fail("erl did not start"))).get(1);
                assertTrue(Global.sync(WAIT));
                for (int round = 0; round < ROUNDS; round++) {
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < NAMES; i++) {
                        names.add("race_" + round + "_" + i);
                    }
                    send(e, Tuple.of(self(), Atom.of("race"), names.stream().map(Atom::of).toList()));
                    Map<String, Object[]> ours = raceHere(names);
                    for (String n : names) {
                        Tuple theirs = (Tuple) receive(WAIT, m -> m instanceof Tuple t && t.get(0) == Atom.of("raced")
                                && t.get(1) == Atom.of(n) ? t : null, () -> fail("erl's registration of " + n + " did not return"));
                        boolean weWon = ours.get(n)[0].equals(true);
                        boolean theyWon = theirs.get(2) == Atom.of("yes");
                        assertTrue(weWon ^ theyWon, n + ": exactly one registration wins (ours " + weWon + ", erl's " + theyWon + ")");
                        Pid winner = (Pid) (weWon ? ours.get(n)[1] : theirs.get(3));
                        assertEquals(Optional.of(winner), Global.whereis(n), n);
                        send(e, Tuple.of(self(), Atom.of("where"), Atom.of(n)));
                        Tuple where = (Tuple) receive(WAIT, m -> m instanceof Tuple t && t.get(0) == Atom.of("where")
                                && t.get(1) == Atom.of(n) ? t : null, () -> fail("erl did not answer where " + n));
                        assertEquals(winner, where.get(2), n + " on erl");
                    }
                }
            }
            return null;
        });
    }

    @Test
    void racingRegistrationsBetweenLoomixNodesHaveOneWinnerEach() throws Exception {
        Node.start("gsa", "gs", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        try (Child peer = Child.start(Map.of(), GlobalPeer.command("gsb", "gs", epmd.port()))) {
            peer.await(l -> l.startsWith("ready"), WAIT);
            assertTrue(Node.connect("gsb@" + HOST));
            assertTrue(Global.sync(WAIT));
            peer.send("sync\n");
            assertEquals("synced true", peer.await(l -> l.startsWith("synced"), WAIT));
            for (int round = 0; round < ROUNDS; round++) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < NAMES; i++) {
                    names.add("lrace_" + round + "_" + i);
                }
                peer.send("race " + String.join(",", names) + "\n");
                Map<String, Object[]> ours = run(() -> raceHere(names));
                String[] theirs = peer.await(l -> l.startsWith("raced"), WAIT).split(" ");
                assertEquals(1 + 3 * NAMES, theirs.length, String.join(" ", theirs));
                for (int i = 0; i < NAMES; i++) {
                    String n = names.get(i);
                    assertEquals(n, theirs[1 + 3 * i]);
                    boolean weWon = ours.get(n)[0].equals(true);
                    boolean theyWon = theirs[2 + 3 * i].equals("yes");
                    assertTrue(weWon ^ theyWon, n + ": exactly one registration wins (ours " + weWon + ", theirs " + theyWon + ")");
                    String winner = weWon ? GlobalPeer.show(Optional.of((Pid) ours.get(n)[1])) : theirs[3 + 3 * i];
                    assertEquals(winner, GlobalPeer.show(Global.whereis(n)), n);
                    peer.send("where " + n + "\n");
                    assertEquals("where " + n + " " + winner, peer.await(l -> l.startsWith("where " + n + " "), WAIT));
                }
            }
        }
    }
}

package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.term.ExitReasons;
import io.loomix.dist.term.Fun;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Spawn requests whose requester is gone before the reply comes, and spawn_request's monitor
 * options, between a Loomix node and a real erl node. What BEAM does was checked erl <-> erl: a
 * linked child gets an exit signal with the dead requester's own exit reason, a monitored one
 * gets nothing; {@code {monitor, [{tag, T}]}} makes the requester's DOWN {@code {T, Ref, process,
 * Pid, Reason}} (the requester's node builds it; the spawning node sees a plain monitor).
 *
 * <p>Whether a signal came is asked with a {@code ping} that the requester's node sends once it
 * has handled the spawn reply: an exit signal it sends for the child precedes the ping on the same
 * connection, so {@code ping} first means none came.
 */
class ErlSpawnRequesterGoneTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Atom ERL = Atom.of("srg@" + HOST);
    private static final String TARGETS = "'io.loomix.dist.SpawnTargets'";
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;

    @BeforeEach
    void start() {
        me = Node.start("loomixsrg", "srgcookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    private Child erl(String code) {
        return Erl.start(epmd.port(), "srg", "srgcookie", code);
    }

    private static Tuple await(Predicate<Tuple> p) {
        return (Tuple) receive(WAIT, m -> m instanceof Tuple t && p.test(t) ? t : null, () -> fail("no such message within " + WAIT));
    }

    @Test
    void anErlRequesterThatDiedBeforeOurReplyLeavesItsReasonToALinkedChildAndNothingToAMonitoredOne() {
        run(() -> {
            register("tester", self());
            try (Child erl = erl("L = '" + me.name() + "', Loop = fun Lp() -> receive"
                    + "   {req, Opts} -> spawn(fun() -> spawn_request(L, " + TARGETS + ", trapAndReport, [tester], Opts),"
                    + "       exit(die) end), Lp();"
                    + "   {ping, C} -> C ! ping, Lp() end end,"
                    + " {tester, L} ! {ready, self()}, Loop().")) {
                Pid e = (Pid) await(t -> t.get(0) == Atom.of("ready")).get(1);

                // whichever way the child learnt of it, it must be the requester's reason
                Object got = linkedChildsFate(
                        () -> send(e, Tuple.of(Atom.of("req"), List.of(Atom.of("link"), Atom.of("monitor")))));
                ExitReason reason = got instanceof Exit x ? x.reason() : ((Down) got).reason();
                assertEquals(ExitReasons.fromTerm(Atom.of("die")), reason, "the requester's own reason, as BEAM gives it");
                if (got instanceof Exit x) {
                    assertEquals(ERL, x.from().node());
                }

                send(e, Tuple.of(Atom.of("req"), List.of(Atom.of("monitor"))));
                Pid monitored = (Pid) await(t -> t.get(0) == Atom.of("child")).get(1);
                send(e, Tuple.of(Atom.of("ping"), monitored)); // sent by erl after it handled the spawn reply
                assertEquals(Atom.of("ping"), await(t -> t.get(0) == Atom.of("child_got") && t.get(1).equals(monitored)).get(2),
                        "monitored only: no signal");
            }
            return null;
        });
    }

    @Test
    void ourRequesterThatDiedBeforeErlsReplyEndsItsLinkedChild() {
        run(() -> {
            register("tester", self());
            // the child says who it is before it traps exits: an exit that comes first kills it, and the monitor says why
            try (Child erl = erl("Child = fun(To) -> To ! {child, self()}, process_flag(trap_exit, true),"
                    + "  receive M -> To ! {child_got, self(), M} end end,"
                    + " {tester, '" + me.name() + "'} ! {ready, Child}, receive after infinity -> ok end.")) {
                Fun child = (Fun) await(t -> t.get(0) == Atom.of("ready")).get(1);
                Pid tester = self();
                Pid[] lastRequester = new Pid[1];
                Object got = linkedChildsFate(() -> lastRequester[0] = requestAndDie(child, tester, true));
                Pid requester = lastRequester[0];
                // (an {'EXIT', From, Reason} message from another node arrives as an Exit)
                ExitReason reason = got instanceof Exit x ? x.reason() : ((Down) got).reason();
                if (got instanceof Exit x) {
                    assertEquals(requester, x.from());
                }
                // the reply found the requester gone: as BEAM, this node sends the requester's own reason (die),
                // kept for it until the reply came (before: noproc); on a loaded machine the reply may come first,
                // and the link then carries die as well
                assertEquals(ExitReasons.fromTerm(Atom.of("die")), reason, "linked");

                requestAndDie(child, tester, false);
                Pid c = (Pid) await(t -> t.get(0) == Atom.of("child")).get(1);
                send(c, Atom.of("ping")); // after this node handled the spawn reply (it came before the child's message)
                assertEquals(Atom.of("ping"), await(t -> t.get(0) == Atom.of("child_got") && t.get(1).equals(c)).get(2),
                        "monitored only: no signal");
            }
            return null;
        });
    }

    /**
     * Many requesters at once, each dying with its own reason before its reply: every linked child
     * that lived to say who it was gets its own requester's reason (the keeper serves them all).
     * A child that an exit killed before its first statement cannot say which it was, so it is
     * not counted; at least one must have.
     */
    @Test
    void manyRequestersDyingAtOnceEachLeaveTheirOwnReason() {
        run(() -> {
            register("tester", self());
            try (Child erl = erl("Child = fun(To, I) -> To ! {child, self(), I}, process_flag(trap_exit, true),"
                    + "  receive M -> To ! {child_got, self(), M} end end,"
                    + " {tester, '" + me.name() + "'} ! {ready, Child}, receive after infinity -> ok end.")) {
                Fun child = (Fun) await(t -> t.get(0) == Atom.of("ready")).get(1);
                Pid tester = self();
                int n = 20;
                for (long i = 0; i < n; i++) {
                    long which = i;
                    spawn(() -> {
                        Node.table().spawnRequest(self(), ERL, makeRef(), Atom.of("erlang"), Atom.of("apply"),
                                List.of(child, List.of(tester, which)), true, false);
                        throw exit(Tuple.of(Atom.of("die"), which));
                    });
                }
                int reported = 0;
                int hellos = 0;
                java.util.Map<Ref, Long> watches = new java.util.HashMap<>();
                java.util.Map<Pid, Long> children = new java.util.HashMap<>();
                while (!(hellos == n && reported == n)) {
                    Object m = receive(Duration.ofSeconds(10), x -> x, () -> null);
                    if (m == null) {
                        break; // the rest were killed before they could say who they were
                    }
                    if (m instanceof Tuple t && t.get(0) == Atom.of("child")) {
                        hellos++;
                        children.put((Pid) t.get(1), (Long) t.get(2));
                        watches.put(monitor((Pid) t.get(1)), (Long) t.get(2));
                    } else if (m instanceof Tuple t && t.get(0) == Atom.of("child_got") && children.containsKey((Pid) t.get(1))) {
                        // trapped in time: it reports the exit (its own Down is then normal)
                        Exit x = assertInstanceOf(Exit.class, t.get(2));
                        assertEquals(ExitReasons.fromTerm(Tuple.of(Atom.of("die"), children.remove((Pid) t.get(1)))), x.reason());
                        reported++;
                    } else if (m instanceof Down d && watches.containsKey(d.ref()) && d.object() instanceof Pid dp && children.containsKey(dp)) {
                        // killed by the exit before it trapped: the monitor says why
                        assertEquals(ExitReasons.fromTerm(Tuple.of(Atom.of("die"), children.remove((Pid) d.object()))), d.reason());
                        reported++;
                    }
                }
                assertTrue(reported > 0, "no linked child lived to say who it was");
            }
            return null;
        });
    }

    /** A process that asks erl to run the fun (linked or not, monitored) and dies at once: the reply needs a round trip. */
    private Pid requestAndDie(Fun child, Pid tester, boolean link) {
        return spawn(() -> {
            Node.table().spawnRequest(self(), ERL, makeRef(), Atom.of("erlang"), Atom.of("apply"),
                    List.of(child, List.of(tester)), link, true);
            throw exit(Atom.of("die"));
        });
    }

    @Test
    void aTaggedMonitorOfASpawnRequestGivesErlATaggedDown() throws Exception {
        try (Child erl = erl("L = '" + me.name() + "',"
                + " Ref = spawn_request(L, " + TARGETS + ", awaitExit, [], [{monitor, [{tag, mytag}]}]),"
                + " receive {spawn_reply, Ref, ok, P} -> P ! bye end,"
                + " receive {mytag, Ref, process, _, Why} -> io:format(\"tagged ~p~n\", [Why])"
                + "   after 20000 -> io:format(\"tagged none~n\") end,"
                + " Ref2 = spawn_request(L, " + TARGETS + ", awaitExit, [], [{monitor, [{alias, demonitor}]}]),"
                + " receive {spawn_reply, Ref2, ok, P2} -> P2 ! bye2 end,"
                + " receive {'DOWN', Ref2, process, _, Why2} -> io:format(\"alias ~p~n\", [Why2])"
                + "   after 20000 -> io:format(\"alias none~n\") end,"
                + " receive after infinity -> ok end.")) {
            assertEquals("tagged bye", erl.await(l -> l.startsWith("tagged"), WAIT));
            assertEquals("alias bye2", erl.await(l -> l.startsWith("alias"), WAIT));
        }
    }

    /**
     * Up to five rounds of {@code request}, each of which makes erl spawn a linked child that says
     * who it is and then traps exits: what the first child seen got (an {@code Exit}) or died of
     * (a {@code Down}). The exit can reach a child before its first statement runs (it needs a
     * round trip, but a loaded machine may hold the child back that long); it then dies unseen,
     * and the round is repeated.
     */
    private static Object linkedChildsFate(Runnable request) {
        Object got = null;
        for (int round = 0; round < 5 && got == null; round++) {
            request.run();
            Object hello = receive(Duration.ofSeconds(5), m -> m instanceof Tuple t && t.get(0) == Atom.of("child") ? t : null,
                    () -> null);
            if (hello instanceof Tuple t) {
                Pid child = (Pid) t.get(1);
                Ref watch = monitor(child);
                // trapped in time: it reports the exit; else the exit killed it and the monitor says why
                // (noproc when it was gone before the monitor: so trapAndReport traps before its hello)
                got = receive(WAIT, m -> m instanceof Tuple r && r.get(0) == Atom.of("child_got") && r.get(1).equals(child)
                        ? r.get(2) : m instanceof Down d && d.ref().equals(watch) ? d : null,
                        () -> fail("the linked child neither reported nor ended"));
            }
        }
        assertNotNull(got, "in 5 rounds no linked child lived long enough to say who it was");
        return got;
    }
}

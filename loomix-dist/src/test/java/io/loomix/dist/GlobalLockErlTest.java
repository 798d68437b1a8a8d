package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Tuple;
import io.loomix.dist.Global.LockId;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * global's locks between a Loomix node and a real erl node: {@code Global.setLock/delLock/trans}
 * against erl's {@code global:set_lock/del_lock/trans}, ported from global_SUITE's {@code locks},
 * {@code lock_die} and {@code bad_input}. The lock procs on either node speak one protocol (the
 * suite's {@code start_proc} loop), so each step can be taken by an erl or a Loomix process:
 * {@code {set_lock, Id, From[, Nodes]}} sets {@code {Id, self()}} with one retry,
 * {@code {set_lock_loop, Id, From}} until it is set, {@code {del_lock, Id, From[, Nodes]}},
 * {@code {hold, Id, From, Retries}} holds the lock in a trans until told {@code leave}, and
 * {@code {incr, Id, From, N}} makes N transactions that each read and write the tester's counter.
 */
class GlobalLockErlTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Atom TEST_LOCK = Atom.of("test_lock");
    private static final Atom TEST_LOCK2 = Atom.of("test_lock2");
    private static final Atom LEAVE = Atom.of("leave");
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;
    private Atom erlNode;

    private static final String ERL_PROC = "Proc = fun P() -> receive"
            + " {set_lock, Id, F} -> F ! {res, self(), global:set_lock({Id, self()}, [node() | nodes()], 1)}, P();"
            + " {set_lock, Id, F, Ns} -> F ! {res, self(), global:set_lock({Id, self()}, Ns, 1)}, P();"
            + " {set_lock_loop, Id, F} -> global:set_lock({Id, self()}), F ! {got_lock, self()}, P();"
            + " {del_lock, Id, F} -> F ! {res, self(), global:del_lock({Id, self()})}, P();"
            + " {del_lock, Id, F, Ns} -> F ! {res, self(), global:del_lock({Id, self()}, Ns)}, P();"
            + " {hold, Id, F, R} -> Res = global:trans({Id, self()}, fun() -> F ! {inside, self()},"
            + "    receive leave -> left end end, [node() | nodes()], R), F ! {trans, self(), Res}, P();"
            + " {incr, Id, F, N} -> [global:trans({Id, self()}, fun() -> F ! {get, self()},"
            + "    receive {val, V} -> F ! {put, self(), V + 1} end end) || _ <- lists:seq(1, N)],"
            + "    F ! {res, self(), done}, P()"
            + " end end,";

    private Child startErl() {
        me = Node.start("lk", "lkcookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        erlNode = Atom.of("elk@" + HOST);
        String program = ERL_PROC
                + " pong = net_adm:ping('" + me.name() + "'), ok = global:sync(),"
                + " {tester, '" + me.name() + "'} ! {erl, self()},"
                + " Loop = fun L() -> receive {F, start_proc} -> F ! {proc, spawn(Proc)}, L() end end, Loop().";
        return Erl.start(epmd.port(), "elk", "lkcookie", program);
    }

    private static Tuple await(Predicate<Tuple> p) {
        return (Tuple) receive(WAIT, m -> m instanceof Tuple t && p.test(t) ? t : null, () -> fail("no such message within " + WAIT));
    }

    /** The erl node's loop, once it has pinged us and synced global. */
    private static Pid erlLoop() {
        return (Pid) await(t -> t.get(0) == Atom.of("erl")).get(1);
    }

    private static Pid erlProc(Pid loop) {
        send(loop, Tuple.of(self(), Atom.of("start_proc")));
        return (Pid) await(t -> t.get(0) == Atom.of("proc")).get(1);
    }

    /** The same loop as ERL_PROC, in a Loomix process, through the Global API. */
    private static Pid loomixProc() {
        return spawn(() -> {
            while (true) {
                Tuple t = (Tuple) receive();
                Atom op = (Atom) t.get(0);
                Pid from = (Pid) t.get(2);
                LockId id = new LockId(t.get(1), self());
                switch (op.name()) {
                    case "set_lock" -> send(from, Tuple.of(Atom.of("res"), self(), t.size() == 4
                            ? Global.setLock(id, nodesOf(t.get(3)), 1) : Global.setLock(id, all(), 1)));
                    case "set_lock_loop" -> {
                        Global.setLock(id);
                        send(from, Tuple.of(Atom.of("got_lock"), self()));
                    }
                    case "del_lock" -> {
                        if (t.size() == 4) {
                            Global.delLock(id, nodesOf(t.get(3)));
                        } else {
                            Global.delLock(id);
                        }
                        send(from, Tuple.of(Atom.of("res"), self(), true));
                    }
                    case "hold" -> {
                        Optional<Object> r = Global.trans(id, () -> {
                            send(from, Tuple.of(Atom.of("inside"), self()));
                            return receive(m -> m == LEAVE ? Atom.of("left") : null);
                        }, all(), ((Long) t.get(3)).intValue());
                        send(from, Tuple.of(Atom.of("trans"), self(), r.orElse(Atom.of("aborted"))));
                    }
                    case "incr" -> {
                        for (long i = 0; i < (Long) t.get(3); i++) {
                            Global.trans(id, () -> {
                                send(from, Tuple.of(Atom.of("get"), self()));
                                long v = (Long) receive(m -> m instanceof Tuple x && x.get(0) == Atom.of("val") ? x.get(1) : null);
                                send(from, Tuple.of(Atom.of("put"), self(), v + 1));
                                return null;
                            });
                        }
                        send(from, Tuple.of(Atom.of("res"), self(), Atom.of("done")));
                    }
                    default -> throw new IllegalArgumentException("unknown op " + t);
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Atom> nodesOf(Object list) {
        return (List<Atom>) list;
    }

    private static List<Atom> all() {
        List<Atom> all = new ArrayList<>(List.of(node()));
        all.addAll(Node.list());
        return List.copyOf(all);
    }

    /** req/2 of the suite: the proc's answer. */
    private static Object req(Pid proc, Object... request) {
        Object[] full = new Object[request.length + 1];
        full[0] = request[0];
        full[1] = request[1];
        full[2] = self();
        System.arraycopy(request, 2, full, 3, request.length - 2);
        send(proc, Tuple.of(full));
        return await(t -> t.get(0) == Atom.of("res") && proc.equals(t.get(1))).get(2);
    }

    private static Object setLock(Pid proc, Atom id) {
        return req(proc, Atom.of("set_lock"), id);
    }

    private static Object setLock(Pid proc, Atom id, List<Atom> nodes) {
        return req(proc, Atom.of("set_lock"), id, nodes);
    }

    /** ?UNTIL(true =:= global:set_lock(Id, Nodes, 1)), bounded: a released lock is released on every node. */
    private static void untilSet(LockId id, List<Atom> nodes) {
        assertTrue(Global.setLock(id, nodes, 8), "the lock " + id + " was never released on " + nodes);
    }

    private static void kill(Pid pid) {
        var mon = monitor(pid);
        exit(pid, Atom.of("kill"));
        receive(WAIT, m -> m instanceof io.loomix.Down d && d.ref().equals(mon) ? d : null, () -> fail(pid + " lived"));
    }

    @Test
    void locksExcludeOtherRequestersOnErlAndLoomixNodes() throws Exception {
        try (Child erl = startErl()) {
            run(() -> {
                register("tester", self());
                Pid loop = erlLoop();
                List<Atom> nodes = all();
                assertEquals(List.of(me, erlNode), nodes);
                LockId mine = new LockId(TEST_LOCK, self());
                Pid erlP = erlProc(loop);
                Pid ourP = loomixProc();

                // set a lock, and make sure no one else can set the same lock
                assertTrue(Global.setLock(mine, nodes, 1));
                assertEquals(false, setLock(erlP, TEST_LOCK));
                assertEquals(false, setLock(ourP, TEST_LOCK));

                // delete, and let another proc set the lock
                Global.delLock(mine);
                assertEquals(true, setLock(erlP, TEST_LOCK));
                assertEquals(false, setLock(ourP, TEST_LOCK));
                assertFalse(Global.setLock(mine, nodes, 1));

                // kill the lock-holding erl proc: the lock is released on both nodes
                kill(erlP);
                untilSet(mine, nodes);
                send(ourP, Tuple.of(Atom.of("set_lock_loop"), TEST_LOCK, self()));
                assertNull(receive(Duration.ofMillis(500), m -> m instanceof Tuple t && t.get(0) == Atom.of("got_lock") ? t : null,
                        () -> null), "got the lock while the tester held it");
                Global.delLock(mine);
                await(t -> t.get(0) == Atom.of("got_lock") && ourP.equals(t.get(1)));

                // the Loomix proc holds it: erl's processes are refused, until it dies
                Pid erlP2 = erlProc(loop);
                assertEquals(false, setLock(erlP2, TEST_LOCK));
                assertEquals(true, setLock(ourP, TEST_LOCK2));
                assertFalse(Global.setLock(mine, nodes, 1));
                assertFalse(Global.setLock(new LockId(TEST_LOCK2, self()), nodes, 0));
                kill(ourP);
                untilSet(mine, nodes);
                untilSet(new LockId(TEST_LOCK2, self()), nodes);
                Global.delLock(mine);
                Global.delLock(new LockId(TEST_LOCK2, self()));

                // one proc, two locks: deleting one leaves the other
                assertEquals(true, setLock(erlP2, TEST_LOCK));
                assertEquals(true, setLock(erlP2, TEST_LOCK2));
                assertEquals(true, req(erlP2, Atom.of("del_lock"), TEST_LOCK2));
                assertFalse(Global.setLock(mine, nodes, 1));
                assertTrue(Global.setLock(new LockId(TEST_LOCK2, self()), nodes, 1));
                Global.delLock(new LockId(TEST_LOCK2, self()));
                kill(erlP2);
                untilSet(mine, nodes);
                Global.delLock(mine);

                // locks on disjoint node sets do not meet; a set that overlaps both is refused
                Pid erlP3 = erlProc(loop);
                Pid ourP3 = loomixProc();
                Pid ourP4 = loomixProc();
                assertEquals(true, setLock(erlP3, TEST_LOCK, List.of(erlNode)));
                assertEquals(true, setLock(ourP3, TEST_LOCK, List.of(me)));
                assertEquals(false, setLock(ourP4, TEST_LOCK, List.of(erlNode)));
                assertEquals(false, setLock(ourP4, TEST_LOCK, nodes));
                assertEquals(true, req(ourP3, Atom.of("del_lock"), TEST_LOCK, List.of(me)));
                assertEquals(false, setLock(ourP4, TEST_LOCK, nodes), "refused on erl; nothing left set here");
                assertEquals(true, setLock(ourP4, TEST_LOCK, List.of(me)));
                kill(erlP3);
                kill(ourP3);
                kill(ourP4);
                return null;
            });
        }
    }

    @Test
    void aTransOnEitherSideWaitsForTheOthersLock() throws Exception {
        try (Child erl = startErl()) {
            run(() -> {
                register("tester", self());
                Pid loop = erlLoop();
                Pid erlP = erlProc(loop);
                Atom res = Atom.of("res_x");
                LockId mine = new LockId(res, self());

                // erl holds the lock in its trans: ours aborts without running, then waits
                send(erlP, Tuple.of(Atom.of("hold"), res, self(), Atom.of("infinity")));
                await(t -> t.get(0) == Atom.of("inside") && erlP.equals(t.get(1)));
                assertEquals(Optional.empty(), Global.trans(mine, () -> fail("ran under erl's lock"), all(), 0));
                Pid ourP = loomixProc();
                send(ourP, Tuple.of(Atom.of("hold"), res, self(), 1000L));
                assertNull(receive(Duration.ofMillis(500), m -> m instanceof Tuple t && t.get(0) == Atom.of("inside") ? t : null,
                        () -> null), "our trans ran while erl's held the lock");
                send(erlP, LEAVE);
                assertEquals(Atom.of("left"), await(t -> t.get(0) == Atom.of("trans") && erlP.equals(t.get(1))).get(2));
                await(t -> t.get(0) == Atom.of("inside") && ourP.equals(t.get(1)));

                // now ours holds it: erl's trans aborts (retries 0), and a patient one runs after ours
                send(erlP, Tuple.of(Atom.of("hold"), res, self(), 0L));
                assertEquals(Atom.of("aborted"), await(t -> t.get(0) == Atom.of("trans") && erlP.equals(t.get(1))).get(2));
                send(erlP, Tuple.of(Atom.of("hold"), res, self(), Atom.of("infinity")));
                assertNull(receive(Duration.ofMillis(500), m -> m instanceof Tuple t && t.get(0) == Atom.of("inside") ? t : null,
                        () -> null), "erl's trans ran while ours held the lock");
                send(ourP, LEAVE);
                assertEquals(Atom.of("left"), await(t -> t.get(0) == Atom.of("trans") && ourP.equals(t.get(1))).get(2));
                await(t -> t.get(0) == Atom.of("inside") && erlP.equals(t.get(1)));
                send(erlP, LEAVE);
                await(t -> t.get(0) == Atom.of("trans") && erlP.equals(t.get(1)));

                // trans returns the fun's value; a fun that throws lets go of the lock too
                assertEquals("value", Global.trans(mine, () -> "value"));
                assertThrows(IllegalStateException.class, () -> Global.trans(mine, () -> {
                    throw new IllegalStateException("boom");
                }));
                assertEquals(true, setLock(erlP, res), "released after the throw");
                return null;
            });
        }
    }

    @Test
    void transactionsOfBothNodesNeverOverlap() throws Exception {
        int perProc = 4;
        try (Child erl = startErl()) {
            run(() -> {
                register("tester", self());
                Pid loop = erlLoop();
                List<Pid> procs = List.of(erlProc(loop), erlProc(loop), loomixProc(), loomixProc());
                Atom counter = Atom.of("counter");
                for (Pid p : procs) {
                    send(p, Tuple.of(Atom.of("incr"), counter, self(), (long) perProc));
                }
                long value = 0;
                Pid open = null;
                int done = 0;
                while (done < procs.size()) {
                    Tuple t = await(x -> x.get(0) == Atom.of("get") || x.get(0) == Atom.of("put") || x.get(0) == Atom.of("res"));
                    switch (((Atom) t.get(0)).name()) {
                        case "get" -> {
                            assertNull(open, t.get(1) + " entered while " + open + " was inside");
                            open = (Pid) t.get(1);
                            send(open, Tuple.of(Atom.of("val"), value));
                        }
                        case "put" -> {
                            assertEquals(open, t.get(1));
                            value = (Long) t.get(2);
                            open = null;
                        }
                        default -> done++;
                    }
                }
                assertEquals((long) perProc * procs.size(), value);
                return null;
            });
        }
    }

    @Test
    void aHolderOnANodeThatDiesLetsGoOfItsLockHere() throws Exception {
        Child erl = startErl();
        try (erl) {
            run(() -> {
                register("tester", self());
                Pid erlP = erlProc(erlLoop());
                assertEquals(true, setLock(erlP, TEST_LOCK));
                LockId mine = new LockId(TEST_LOCK, self());
                assertFalse(Global.setLock(mine, List.of(me), 0));
                erl.close(); // SIGKILL: the lock's holder goes with its node
                untilSet(mine, List.of(me));
                return null;
            });
        }
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        me = Node.start("lkb", "lkcookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        LockId id = new LockId("res", "req");
        assertEquals(new LockId(Atom.of("res"), Atom.of("req")), id, "strings are atoms");
        assertThrows(NullPointerException.class, () -> new LockId(null, "req"));
        var notInProcess = assertThrows(IllegalStateException.class, () -> Global.setLock(id));
        assertTrue(notInProcess.getMessage().contains("from a process"), notInProcess.getMessage());
        assertThrows(IllegalStateException.class, () -> Global.delLock(id));
        assertThrows(IllegalArgumentException.class, () -> Global.trans(id, () -> 1, List.of(me), -1));
        assertThrows(IllegalArgumentException.class, () -> run(() -> Global.setLock(id, List.of(me), -1)));
        // trans from a plain thread runs in a process of its own, and lets go afterwards
        assertEquals(7, Global.trans(id, () -> 7));
        assertEquals(Optional.of(8), Global.trans(id, () -> 8, List.of(me), 0));
        assertEquals(true, run(() -> Global.setLock(new LockId("res", "other"), List.of(me), 0)));
    }
}

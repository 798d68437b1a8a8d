package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import io.loomix.testkit.Probe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Links, monitors and exit signals between a Loomix node and a real erl node, checked against
 * what erl itself prints. Each erl program reports to the registered Loomix process {@code tester}.
 */
class ErlSignalsTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Atom ERL = Atom.of("sig@" + HOST);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;

    @BeforeEach
    void start() throws Exception {
        me = Node.start("loomixsig", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port())
                .withTickTime(Duration.ofSeconds(2)));
    }

    /** erl on the test's epmd, with the same short tick time as this node. */
    private Child erl(String code) {
        return Erl.start(epmd.port(), "sig", "cookie1", code, "-kernel", "net_ticktime", "2");
    }

    /** Waits for a message {@code p} accepts (other messages stay queued). */
    private static Object await(java.util.function.Predicate<Object> p) {
        return Probe.withTimeout(WAIT).expectReceive(m -> p.test(m) ? m : null);
    }

    /** The {pid, P} an erl program sends to tester: its process's pid. */
    private static Pid awaitPid() {
        return (Pid) ((Tuple) await(m -> m instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("pid"))).get(1);
    }

    private String tester() {
        return "{tester, '" + me.name() + "'}";
    }

    @Test
    void weMonitorAnErlProcessByPidAndByNameAndGetItsReason() {
        Object[] downs = run(() -> {
            register("tester", self());
            try (Child erl = erl("P = spawn(fun() -> receive die -> exit({custom, 42}) end end),"
                    + " register(victim, P), " + tester() + " ! {pid, P}, timer:sleep(infinity).")) {
                Pid p = awaitPid();
                Ref byPid = monitor(p);
                Ref byName = monitor(Name.of("victim", ERL.name()));
                send(p, Atom.of("die"));
                return new Object[] {byPid, byName, p,
                        await(m -> m instanceof Down d && d.ref().equals(byPid)),
                        await(m -> m instanceof Down d && d.ref().equals(byName))};
            }
        });
        ExitReason custom = new ExitReason.Term(Tuple.of(Atom.of("custom"), 42L));
        assertEquals(new Down((Ref) downs[0], downs[2], custom), downs[3]);
        assertEquals(new Down((Ref) downs[1], new Name(Atom.of("victim"), ERL), custom), downs[4]);
    }

    @Test
    void aMonitorOfAnUnknownNameOrDeadPidThereGivesNoproc() {
        Object[] downs = run(() -> {
            register("tester", self());
            try (Child erl = erl("{P, R} = spawn_monitor(fun() -> ok end), receive {'DOWN', R, _, _, _} -> ok end, " + tester() + " ! {pid, P},"
                    + " timer:sleep(infinity).")) {
                Pid dead = awaitPid();
                Ref byName = monitor(Name.of("nobody", ERL.name()));
                Ref byPid = monitor(dead);
                return new Object[] {await(m -> m instanceof Down d && d.ref().equals(byName)),
                        await(m -> m instanceof Down d && d.ref().equals(byPid))};
            }
        });
        assertEquals(ExitReason.NOPROC, ((Down) downs[0]).reason());
        assertEquals(new Name(Atom.of("nobody"), ERL), ((Down) downs[0]).object());
        assertEquals(ExitReason.NOPROC, ((Down) downs[1]).reason());
    }

    @Test
    void erlMonitorsOurProcessesByNameAndPid() throws Exception {
        Pid target = spawn(() -> {
            receive(m -> m == Atom.of("stop") ? m : null);
            throw exit(Atom.of("bye"));
        });
        register("target", target);
        Pid quiet = spawn(() -> {
            if (receive() instanceof Tuple t && t.get(0) instanceof Pid from) {
                send(from, Tuple.of(Atom.of("me"), self()));
            }
            receive();
        });
        register("quiet", quiet);
        // tester is registered before erl starts, so erl's "monitored" cannot miss it
        String[] lines = run(() -> {
            register("tester", self());
            try (Child erl = erl("N = '" + me.name() + "',"
                    + " R0 = erlang:monitor(process, {nosuch, N}),"
                    + " receive {'DOWN', R0, process, O0, W0} -> io:format(\"down0 ~p ~p~n\", [O0, W0]) end,"
                    + " R1 = erlang:monitor(process, {target, N}),"
                    + " {target, N} ! stop,"
                    + " receive {'DOWN', R1, process, O1, W1} -> io:format(\"down1 ~p ~p~n\", [O1, W1]) end,"
                    + " R2 = erlang:monitor(process, {quiet, N}), true = erlang:demonitor(R2),"
                    + " {quiet, N} ! {self(), who}, Q = receive {me, QP} -> QP end,"
                    + " R3 = erlang:monitor(process, Q), R4 = erlang:monitor(process, {quiet, N}),"
                    + " {tester, N} ! monitored,"
                    + " receive {'DOWN', R3, process, Q, W3} -> io:format(\"down3 ~p~n\", [W3]) end,"
                    + " receive {'DOWN', R4, process, O4, W4} -> io:format(\"down4 ~p ~p~n\", [O4, W4]) end,"
                    + " receive {'DOWN', R2, _, _, _} -> io:format(\"down2 after demonitor~n\") after 0 -> ok end,"
                    + " io:format(\"end~n\"), timer:sleep(infinity).")) {
                String down0 = erl.await("down0");
                String down1 = erl.await("down1");
                // sent after erl's monitors, on the same connection: they are in place
                await(m -> m == Atom.of("monitored"));
                exit(quiet, Atom.of("shutdown_now"));
                return new String[] {down0, down1, erl.await("down3"), erl.await("down4"),
                        erl.await(l -> l.startsWith("end") || l.startsWith("down2"), WAIT)};
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                exit(quiet, Atom.of("kill"));
            }
        });
        assertEquals("down0 {nosuch," + printed(me) + "} noproc", lines[0]);
        assertEquals("down1 {target," + printed(me) + "} bye", lines[1]);
        assertEquals("down3 shutdown_now", lines[2]);
        assertEquals("down4 {quiet," + printed(me) + "} shutdown_now", lines[3]);
        assertEquals("end", lines[4]);
    }

    private static String printed(Atom node) {
        return node.name(); // erl quotes only atoms that need it; a short host name does not
    }

    @Test
    void linksCarryExitsBothWays() throws Exception {
        var got = run(() -> {
            register("tester", self());
            trapExit(true);
            try (Child erl = erl("process_flag(trap_exit, true),"
                    + " P = spawn(fun() -> receive die -> exit(custom_reason) end end),"
                    + " K = spawn(fun() -> receive after infinity -> ok end end),"
                    + tester() + " ! {pid, P}, " + tester() + " ! {pid, K}, " + tester() + " ! {pid, self()},"
                    + " receive {link_to, L} -> link(L), L ! linked end,"
                    + " receive {'EXIT', From, Why} -> io:format(\"exit ~p~n\", [Why]) end,"
                    + " timer:sleep(infinity).")) {
                Pid p = awaitPid();
                Pid k = awaitPid();
                Pid shell = awaitPid();
                link(p);
                link(k);
                send(p, Atom.of("die"));
                Exit custom = (Exit) await(m -> m instanceof Exit e && e.from().equals(p));
                exit(k, Atom.of("kill"));
                Exit killed = (Exit) await(m -> m instanceof Exit e && e.from().equals(k));
                // erl links to one of ours, which then dies with a reason of its own
                Pid ours = spawn(() -> {
                    receive(m -> m == Atom.of("linked") ? m : null);
                    throw exit(Tuple.of(Atom.of("ours"), 1L));
                });
                send(shell, Tuple.of(Atom.of("link_to"), ours));
                String line = erl.await("exit");
                return new Object[] {custom, killed, line};
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(new ExitReason.Term(Atom.of("custom_reason")), ((Exit) got[0]).reason());
        assertEquals(ExitReason.KILLED, ((Exit) got[1]).reason());
        assertEquals("exit {ours,1}", got[2]);
    }

    @Test
    void exitTwoBothWays() throws Exception {
        Pid victim = spawn(() -> receive());
        Object[] got = run(() -> {
            register("tester", self());
            try (Child erl = erl("process_flag(trap_exit, true),"
                    + tester() + " ! {pid, self()},"
                    + " receive {'EXIT', From, Why} -> io:format(\"trapped ~p~n\", [Why]) end,"
                    + " timer:sleep(infinity).")) {
                Pid shell = awaitPid();
                exit(shell, Tuple.of(Atom.of("go"), Atom.of("away")));
                String trapped = erl.await("trapped");
                unregister("tester"); // the next run registers it again, maybe before this process is gone
                return new Object[] {trapped};
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("trapped {go,away}", got[0]);
        // erl's exit(Pid, kill) on one of ours
        Object down = run(() -> {
            register("tester", self());
            Ref watch = monitor(victim);
            try (Child erl = erl(tester() + " ! {pid, self()}, receive {kill, P} -> exit(P, kill) end,"
                    + " timer:sleep(infinity).")) {
                Pid shell = awaitPid();
                send(shell, Tuple.of(Atom.of("kill"), victim));
                return await(m -> m instanceof Down d && d.ref().equals(watch));
            }
        });
        assertEquals(ExitReason.KILLED, ((Down) down).reason());
    }

    @Test
    void aLinkToADeadErlPidGivesNoproc() {
        Object got = run(() -> {
            register("tester", self());
            trapExit(true);
            try (Child erl = erl("{P, R} = spawn_monitor(fun() -> ok end), receive {'DOWN', R, _, _, _} -> ok end, " + tester() + " ! {pid, P},"
                    + " timer:sleep(infinity).")) {
                Pid dead = awaitPid();
                link(dead);
                return await(m -> m instanceof Exit e && e.from().equals(dead));
            }
        });
        assertEquals(ExitReason.NOPROC, ((Exit) got).reason());
    }

    @Test
    void afterUnlinkAnExitDoesNotCome() throws Exception {
        List<Object> left = run(() -> {
            register("tester", self());
            trapExit(true);
            try (Child erl = erl("P = spawn(fun() -> receive report -> {links, L} = process_info(self(), links),"
                    + tester() + " ! {links, L}, exit(boom) end end),"
                    + " erlang:monitor(process, P), " + tester() + " ! {pid, P},"
                    + " receive {'DOWN', _, process, P, R} -> " + tester() + " ! {done, R} end,"
                    + " timer:sleep(infinity).")) {
                Pid p = awaitPid();
                link(p);
                unlink(p);
                send(p, Atom.of("report"));
                Object links = await(m -> m instanceof Tuple t && t.get(0) == Atom.of("links"));
                assertEquals(Tuple.of(Atom.of("links"), List.of()), links, "erl removed its side of the link");
                await(m -> m instanceof Tuple t && t.get(0) == Atom.of("done"));
                return flush();
            }
        });
        assertTrue(left.stream().noneMatch(m -> m instanceof Exit), "no exit after unlink: " + left);
    }

    @Test
    void aKilledNodeBreaksLinksAndMonitorsWithNoconnection() {
        Object[] got = run(() -> {
            register("tester", self());
            trapExit(true);
            Child erl = erl("P = spawn(fun() -> receive after infinity -> ok end end), register(held, P),"
                    + tester() + " ! {pid, P}, timer:sleep(infinity).");
            try {
                Pid p = awaitPid();
                link(p);
                Ref byPid = monitor(p);
                Ref byName = monitor(Name.of("held", ERL.name()));
                new ProcessBuilder("kill", "-KILL", Long.toString(erl.pid())).start().waitFor();
                Object exit = await(m -> m instanceof Exit e && e.from().equals(p));
                Object d1 = await(m -> m instanceof Down d && d.ref().equals(byPid));
                Object d2 = await(m -> m instanceof Down d && d.ref().equals(byName));
                return new Object[] {exit, d1, d2};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                erl.close();
            }
        });
        assertEquals(ExitReason.NOCONNECTION, ((Exit) got[0]).reason());
        assertEquals(ExitReason.NOCONNECTION, ((Down) got[1]).reason());
        assertEquals(ExitReason.NOCONNECTION, ((Down) got[2]).reason());
        assertEquals(new Name(Atom.of("held"), ERL), ((Down) got[2]).object());
    }
}

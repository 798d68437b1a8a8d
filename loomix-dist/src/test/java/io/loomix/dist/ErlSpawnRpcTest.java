package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Tuple;
import io.loomix.dist.term.ExitReasons;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Spawn requests and rpc between a Loomix node and a real erl node, both directions; the
 * expected lines and terms are what erl itself gives (checked against erl <-> erl).
 */
class ErlSpawnRpcTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Atom ERL = Atom.of("sr@" + HOST);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;

    @BeforeEach
    void start() throws Exception {
        me = Node.start("loomixsr", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port())
                .withTickTime(Duration.ofSeconds(4)));
    }

    private Child erl(String code) {
        return Erl.start(epmd.port(), "sr", "cookie1", code, "-kernel", "net_ticktime", "4");
    }

    private static Object await(java.util.function.Predicate<Object> p) {
        return receive(WAIT, m -> p.test(m) ? m : null, () -> fail("no such message within " + WAIT));
    }

    @Test
    void erlCallsAndSpawnsOnUs() throws Exception {
        String t = "'io.loomix.dist.SpawnTargets'";
        String[] keys = {"max", "maxf", "kinds", "undef", "java", "node", "nodes", "ping", "rex", "rexundef", "erpc",
            "erpcexit", "concat", "cast", "rexcast", "spawn", "undefspawn", "linkcrash", "end"};
        List<String> lines = new ArrayList<>();
        try (Child erl = erl("L = '" + me.name() + "', pong = net_adm:ping(L),"
                + " io:format(\"max ~p~n\", [rpc:call(L, 'java.lang.Math', max, [3, 7])]),"
                + " io:format(\"maxf ~p~n\", [rpc:call(L, 'java.lang.Math', max, [2.5, 1.0])]),"
                + " io:format(\"kinds ~p~n\", [[rpc:call(L, " + t + ", kind, [X]) || X <- [1, 1.5, a]]]),"
                + " io:format(\"undef ~p~n\", [rpc:call(L, 'no.such.Class', f, [1])]),"
                + " {badrpc, {'EXIT', {{JE, _}, [_ | _]}}} = rpc:call(L, 'java.lang.Integer', parseInt, [<<\"x\">>]),"
                + " io:format(\"java ~p~n\", [JE]),"
                + " io:format(\"node ~p~n\", [rpc:call(L, erlang, node, []) =:= L]),"
                + " io:format(\"nodes ~p~n\", [rpc:call(L, erlang, nodes, []) =:= [node()]]),"
                + " io:format(\"ping ~p~n\", [rpc:call(L, net_adm, ping, [node()])]),"
                + " io:format(\"rex ~p~n\", [gen_server:call({rex, L}, {call, 'java.lang.Math', max, [3, 7], group_leader()})]),"
                + " io:format(\"rexundef ~p~n\", [gen_server:call({rex, L}, {call, nosuch, f, [], group_leader()})]),"
                + " io:format(\"erpc ~p~n\", [erpc:call(L, 'java.lang.Math', abs, [-4])]),"
                + " io:format(\"erpcexit ~p~n\", [catch erpc:call(L, erlang, exit, [bye])]),"
                + " io:format(\"concat ~p~n\", [rpc:call(L, " + t + ", concat, [\"ab\", <<\"cd\">>])]),"
                + " true = rpc:cast(L, " + t + ", reply, [self(), cast]),"
                + " receive {reply, cast, L} -> io:format(\"cast ok~n\") end,"
                + " gen_server:cast({rex, L}, {cast, " + t + ", reply, [self(), rexcast], group_leader()}),"
                + " receive {reply, rexcast, L} -> io:format(\"rexcast ok~n\") end,"
                + " P = spawn(L, " + t + ", reply, [self(), spawned]),"
                + " receive {reply, spawned, L} -> io:format(\"spawn ~p~n\", [node(P) =:= L]) end,"
                + " {P2, R2} = spawn_monitor(L, " + t + ", nosuch, []),"
                + " receive {'DOWN', R2, process, P2, W2} -> io:format(\"undefspawn ~p~n\", [W2]) end,"
                + " process_flag(trap_exit, true),"
                + " P3 = spawn_link(L, " + t + ", crash, [<<\"boom\">>]),"
                + " receive {'EXIT', P3, W3} -> io:format(\"linkcrash ~p~n\", [element(1, W3)]) end,"
                + " io:format(\"end~n\"), timer:sleep(infinity).")) {
            for (String k : keys) {
                lines.add(erl.await(l -> l.equals(k) || l.startsWith(k + " "), WAIT));
            }
        }
        String cls = "'io.loomix.dist.SpawnTargets'";
        assertEquals(List.of("max 7", "maxf 2.5", "kinds [<<\"long\">>,<<\"double\">>,<<\"object\">>]",
                "undef {badrpc,{'EXIT',{undef,[{'no.such.Class',f,[1],[]}]}}}",
                "java 'java.lang.NumberFormatException'", "node true", "nodes true", "ping pong", "rex 7",
                "rexundef {badrpc,{'EXIT',{undef,[{nosuch,f,[],[]}]}}}", "erpc 4",
                "erpcexit {'EXIT',{exception,bye}}", "concat <<\"abcd\">>", "cast ok", "rexcast ok", "spawn true",
                "undefspawn {undef,[{" + cls + ",nosuch,[],[]}]}",
                "linkcrash {'java.lang.IllegalStateException',<<\"boom\">>}", "end"), lines);
    }

    @Test
    void weCallAndSpawnOnErl() throws Exception {
        Object[] got = run(() -> {
            register("tester", self());
            try (Child erl = erl("{tester, '" + me.name() + "'} ! ready, receive after infinity -> ok end.")) {
                await(m -> m == Atom.of("ready"));
                Duration t = Duration.ofSeconds(10);
                Object max = Rpc.call(ERL, Atom.of("erlang"), Atom.of("max"), List.of(3, 7), t);
                Object rev = Rpc.call(ERL, Atom.of("lists"), Atom.of("reverse"), List.of(List.of(1, 2, 3)), t);
                Object err = Rpc.call(ERL, Atom.of("erlang"), Atom.of("error"), List.of(Atom.of("boom")), t);
                Object node = Rpc.call(ERL, Atom.of("erlang"), Atom.of("node"), List.of(), t);
                Object slow = Rpc.call(ERL, Atom.of("timer"), Atom.of("sleep"), List.of(20_000), Duration.ofMillis(300));
                Object down = Rpc.call(Atom.of("nosuch@" + HOST), Atom.of("erlang"), Atom.of("node"), List.of(), t);
                var sent = Node.spawnMonitor(ERL, Atom.of("erlang"), Atom.of("send"), List.of(self(), Atom.of("hello")));
                Object hello = await(m -> m == Atom.of("hello"));
                Down normal = (Down) await(m -> m instanceof Down d && d.ref().equals(sent.ref()));
                var undef = Node.spawnMonitor(ERL, Atom.of("nosuchmod"), Atom.of("f"), List.of());
                Down undefDown = (Down) await(m -> m instanceof Down d && d.ref().equals(undef.ref()));
                trapExit(true);
                Pid sleeper = Node.spawnLink(ERL, Atom.of("timer"), Atom.of("sleep"), List.of(Atom.of("infinity")));
                exit(sleeper, Atom.of("kill"));
                Exit killed = (Exit) await(m -> m instanceof Exit e && e.from().equals(sleeper));
                Rpc.cast(ERL, Atom.of("erlang"), Atom.of("send"), List.of(self(), Atom.of("casted")));
                Object casted = await(m -> m == Atom.of("casted"));
                var lost = Node.spawnMonitor(Atom.of("nosuch@" + HOST), Atom.of("erlang"), Atom.of("node"), List.of());
                Down lostDown = (Down) await(m -> m instanceof Down d && d.ref().equals(lost.ref()));
                return new Object[] {max, rev, err, node, slow, down, sent.pid().node(), hello, normal.reason(),
                        ExitReasons.toTerm(undefDown.reason()), killed.reason(), casted, lostDown.reason()};
            }
        });
        {
            assertEquals(7L, got[0]);
            assertEquals(List.of(3L, 2L, 1L), got[1]);
            Tuple err = (Tuple) got[2];
            assertEquals(Atom.of("badrpc"), err.get(0));
            Tuple exit = (Tuple) err.get(1);
            assertEquals(Atom.of("EXIT"), exit.get(0));
            assertEquals(Atom.of("boom"), ((Tuple) exit.get(1)).get(0));
            assertEquals(ERL, got[3]);
            assertEquals(Tuple.of(Atom.of("badrpc"), Atom.of("timeout")), got[4]);
            assertEquals(Tuple.of(Atom.of("badrpc"), Atom.of("nodedown")), got[5]);
            assertEquals(ERL, got[6]);
            assertEquals(Atom.of("hello"), got[7]);
            assertEquals(ExitReason.NORMAL, got[8]);
            assertEquals(Tuple.of(Atom.of("undef"), List.of(Tuple.of(Atom.of("nosuchmod"), Atom.of("f"), List.of(), List.of()))),
                    got[9]);
            assertEquals(ExitReason.KILLED, got[10]);
            assertEquals(Atom.of("casted"), got[11]);
            assertEquals(ExitReason.NOCONNECTION, got[12]);
        }
    }
}

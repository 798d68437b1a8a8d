package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * global.erl's resolver (exchange_names/4): compares the names another node sent with ours and
 * decides what each side inserts or deletes. A name both sides hold for different pids is decided
 * by the node with the smaller name, by the resolve method of its own registration: the three of
 * global's own ({@code random_exit_name}, the default, {@code random_notify_name},
 * {@code notify_all_name}) run here; any other (an Erlang fun) runs through rpc on the node of our
 * pid, as erl runs it there.
 */
final class Resolver {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist.global");
    private static final Atom INSERT = Atom.of("insert");
    private static final Atom DELETE = Atom.of("delete");
    private static final Atom NONE = Atom.of("none");
    private static final Duration RPC_LIMIT = Duration.ofSeconds(30);

    /** An rpc that did not give an answer: what erl calls {badrpc, Reason}. */
    private record BadRpc(Object reason) {}

    private Resolver() {}

    /** Resolves in a new process, which answers the name server with exchange_ops. */
    static Pid start(GlobalServer server, Atom node, Object tag, List<?> theirs) {
        Pid gns = Process.self();
        return Process.spawn(() -> {
            List<Object> ops = new ArrayList<>();
            List<Object> resolved = new ArrayList<>();
            exchangeNames(server, node, theirs, ops, resolved);
            Process.send(gns, new GlobalServer.ExchangeOps(node, tag, List.copyOf(ops), List.copyOf(resolved)));
        });
    }

    private static void exchangeNames(GlobalServer server, Atom node, List<?> theirs, List<Object> ops, List<Object> res) {
        for (Object o : theirs) {
            Tuple t = (Tuple) o;
            Object name = t.get(0);
            Pid pid = (Pid) t.get(1);
            GlobalServer.Entry mine = server.entry(name);
            if (mine == null) {
                ops.add(Tuple.of(INSERT, t));
            } else if (mine.pid().equals(pid) || server.self().compareTo(node) > 0) {
                continue; // the same, or the other node decides
            } else {
                Object winner = resolveIt(server, mine.method(), name, pid, mine.pid());
                if (winner instanceof Pid p && p.equals(pid)) {
                    ops.add(Tuple.of(INSERT, t));
                } else if (winner instanceof Pid p && p.equals(mine.pid())) {
                    res.add(Tuple.of(INSERT, Tuple.of(name, mine.pid(), mine.method())));
                } else if (winner instanceof BadRpc bad) {
                    LOG.log(System.Logger.Level.INFO, "global: badrpc " + bad.reason() + " received when conflicting name "
                            + name + " was found");
                    ops.add(Tuple.of(INSERT, t));
                } else {
                    if (winner != NONE) {
                        LOG.log(System.Logger.Level.INFO, "global: Resolve method " + mine.method() + " for conflicting name "
                                + name + " returned " + winner);
                    }
                    Tuple delete = Tuple.of(DELETE, name);
                    ops.add(delete);
                    res.add(delete);
                }
            }
        }
    }

    /** global:resolve_it(Method, Name, Pid1, Pid2). */
    private static Object resolveIt(GlobalServer server, Object method, Object name, Pid pid1, Pid pid2) {
        var builtin = ResolveMethods.resolve(method, name, pid1, pid2);
        if (builtin.isPresent()) {
            return builtin.get();
        }
        if (pid2.node() == server.self()) {
            return new BadRpc("this Loomix node cannot run the Erlang resolve method " + method);
        }
        return rpc(pid2.node(), Tuple.of(Atom.of("call"), Gns.GLOBAL, Atom.of("resolve_it"),
                List.of(method, name, pid1, pid2), Process.self()));
    }

    /** gen_server:call({rex, Node}, Request) as rpc:call/4 makes it without erpc. */
    private static Object rpc(Atom node, Tuple request) {
        Ref mon = Process.monitor(new Name(Atom.of("rex"), node));
        Ref tag = Process.makeRef();
        Process.send(new Name(Atom.of("rex"), node), Tuple.of(Gns.GEN_CALL, Tuple.of(Process.self(), tag), request));
        Object reply = Process.receive(RPC_LIMIT, m -> m instanceof Tuple t && t.size() == 2 && tag.equals(t.get(0)) ? t.get(1)
                : m instanceof Down d && d.ref().equals(mon) ? new BadRpc(Atom.of("nodedown")) : null,
                () -> new BadRpc(Atom.of("timeout")));
        Process.demonitor(mon, true);
        if (reply instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("badrpc")) {
            return new BadRpc(t.get(1));
        }
        return reply;
    }
}

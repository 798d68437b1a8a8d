package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.net.NodeTable;
import io.loomix.dist.net.SpawnResult;
import io.loomix.dist.rpc.Apply;
import io.loomix.dist.rpc.SpawnService;
import io.loomix.dist.term.ExitReasons;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Erlang's {@code rpc:call/5} and {@code rpc:cast/4}: run a function on a node and get its value.
 * {@snippet :
 * Object max = Rpc.call(Atom.of("x@host"), Atom.of("erlang"), Atom.of("max"), List.of(3, 7), Duration.ofSeconds(5)); // 7
 * Object v = Rpc.call("loomix2@host", Math.class, "max", List.of(3, 7), Duration.ofSeconds(5));                   // 7
 * }
 * The result is what {@code rpc:call} returns: the value, or {@code {badrpc, Why}}
 * ({@code {badrpc, nodedown}}, {@code {badrpc, timeout}}, {@code {badrpc, {'EXIT', {undef, [...]}}}}
 * and so on), never an exception for a failure on the other node. Like OTP 23+'s rpc it goes
 * through erpc: a spawn request for {@code erpc:execute_call/4}, monitored, whose exit reason
 * carries the result. On a Loomix node the function is a public static method of the class the
 * module names; see {@code docs/notes/spawnrpc.md}.
 */
public final class Rpc {
    private static final Atom ERPC = Atom.of("erpc");
    private static final Atom EXECUTE_CALL = Atom.of("execute_call");
    private static final Atom EXECUTE_CAST = Atom.of("execute_cast");
    private static final Atom RETURN = Atom.of("return");
    private static final Atom EXIT = Atom.of("EXIT");

    private Rpc() {}

    public static Object call(String node, Class<?> module, String function, List<?> args, Duration timeout) {
        return call(Atom.of(node), Atom.of(module.getName()), Atom.of(function), args, timeout);
    }

    /**
     * {@code rpc:call(Node, Module, Function, Args, Timeout)}: the value, or {@code {badrpc, ...}}.
     * When the call times out the function may still run to its end there; its result is dropped.
     */
    public static Object call(Atom node, Atom module, Atom function, List<?> args, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        List<Object> argList = new ArrayList<>(Objects.requireNonNull(args, "args"));
        NodeTable table = Node.table();
        if (node == Node.self()) {
            return Process.run(() -> SpawnService.rpcResult(Apply.apply(module, function, argList)));
        }
        if (table == null) {
            return badrpc(Atom.of("nodedown"));
        }
        return Process.run(() -> {
            Ref res = Process.makeRef();
            Ref id = Process.makeRef();
            table.spawnRequest(Process.self(), node, id, ERPC, EXECUTE_CALL,
                    List.of(res, module, function, List.copyOf(argList)), false, true);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = Math.max(0, deadline - System.nanoTime());
                Object m = Process.receive(id, Duration.ofNanos(left), msg -> msg instanceof SpawnResult s && s.request().equals(id)
                        || msg instanceof Down d && d.ref().equals(id) ? msg : null, () -> null);
                switch (m) {
                    case null -> {
                        table.abandon(node, id);
                        Process.demonitor(id, true);
                        return badrpc(Atom.of("timeout"));
                    }
                    case SpawnResult s when s.pid() != null -> {
                        // spawned: the answer is its exit reason
                    }
                    case SpawnResult s -> {
                        return badrpc(s.error() == Atom.of("noconnection") ? Atom.of("nodedown") : Tuple.of(EXIT, s.error()));
                    }
                    case Down d -> {
                        return result(res, ExitReasons.toTerm(d.reason()));
                    }
                    default -> throw new IllegalStateException("unexpected " + m);
                }
            }
        });
    }

    /** As rpc's erpc path turns execute_call's exit reason into a result. */
    private static Object result(Ref res, Object reason) {
        if (reason instanceof Tuple t && t.size() >= 3 && res.equals(t.get(0))) {
            Object kind = t.get(1);
            if (kind == RETURN || kind == Atom.of("throw")) {
                return t.get(2);
            }
            if (kind == Atom.of("exit")) {
                return badrpc(Tuple.of(EXIT, t.get(2)));
            }
            if (kind == Atom.of("error") && t.size() == 4) {
                return badrpc(Tuple.of(EXIT, Tuple.of(t.get(2), t.get(3))));
            }
            if (kind == Atom.of("error") && t.get(2) instanceof Tuple e && e.size() == 2 && e.get(0) == ERPC) {
                return badrpc(Tuple.of(EXIT, e.get(1)));
            }
        }
        if (reason == Atom.of("noconnection")) {
            return badrpc(Atom.of("nodedown"));
        }
        return badrpc(Tuple.of(EXIT, reason));
    }

    public static boolean cast(String node, Class<?> module, String function, List<?> args) {
        return cast(Atom.of(node), Atom.of(module.getName()), Atom.of(function), args);
    }

    /**
     * {@code rpc:cast(Node, Module, Function, Args)}: runs the function there in a new process and
     * returns {@code true} at once, with no word of what happened (nothing when the node is down).
     */
    public static boolean cast(Atom node, Atom module, Atom function, List<?> args) {
        List<Object> argList = List.copyOf(new ArrayList<>(Objects.requireNonNull(args, "args")));
        NodeTable table = Node.table();
        if (node == Node.self() || table == null) {
            if (node == Node.self()) {
                Process.spawn(SpawnService.body(module, function, argList));
            }
            return true;
        }
        Runnable request = () -> table.spawnRequest(Process.self(), node, Process.makeRef(), ERPC, EXECUTE_CAST,
                List.of(module, function, argList), false, false, false);
        if (io.loomix.internal.remote.RuntimeHooks.selfOrNull() != null) {
            request.run();
        } else {
            Process.run(request);
        }
        return true;
    }

    private static Tuple badrpc(Object why) {
        return Tuple.of(Atom.of("badrpc"), why);
    }
}

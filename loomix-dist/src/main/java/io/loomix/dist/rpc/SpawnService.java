package io.loomix.dist.rpc;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.net.IncomingSpawn;
import io.loomix.dist.net.NodeTable;
import io.loomix.internal.remote.RuntimeHooks;

import java.util.List;

/**
 * Serves other nodes' spawn requests: a new process links to and/or is monitored by the
 * requester, answers the request itself (so the reply precedes every signal it sends), then runs
 * {@code Module:Function(Args)} through {@link Apply}. erpc's {@code execute_call/4} and
 * {@code execute_cast/3} are served as OTP's erpc module runs them, so {@code erpc:call},
 * {@code rpc:call} and {@code rpc:cast} from an Erlang node reach Java methods.
 */
public final class SpawnService implements IncomingSpawn.Server {
    private static final Atom ERPC = Atom.of("erpc");
    private static final Atom RETURN = Atom.of("return");

    private final NodeTable table;

    public SpawnService(NodeTable table) {
        this.table = table;
    }

    @Override
    public void spawn(IncomingSpawn r) {
        Process.spawn(() -> {
            Pid me = Process.self();
            // On behalf of the request's connection: if it went down meanwhile, the link breaks at once.
            if (r.link()) {
                RuntimeHooks.linkFrom(r.from(), me, r.connection());
            }
            if (r.monitor()) {
                RuntimeHooks.monitorFrom(r.from(), me, r.id(), r.connection());
            }
            table.spawned(r, me);
            body(r.module(), r.function(), r.args()).run();
        });
    }

    /** What a process spawned for {@code module:function(args)} runs; it exits as Erlang's would. */
    public static Runnable body(Atom module, Atom function, List<Object> args) {
        if (module == ERPC && function.name().equals("execute_call") && args.size() == 4
                && args.get(1) instanceof Atom m && args.get(2) instanceof Atom f && args.get(3) instanceof List<?> a) {
            return () -> {
                throw Process.exit(callResult(args.get(0), Apply.apply(m, f, List.copyOf(a))));
            };
        }
        if (module == ERPC && function.name().equals("execute_cast") && args.size() == 3
                && args.get(0) instanceof Atom m && args.get(1) instanceof Atom f && args.get(2) instanceof List<?> a) {
            return () -> finish(Apply.apply(m, f, List.copyOf(a)));
        }
        return () -> finish(Apply.apply(module, function, args));
    }

    /** erpc:execute_call/4's exit reason: {Res, return, V}, {Res, throw, V}, {Res, exit, R}, {Res, error, R, Stack}. */
    static Object callResult(Object res, Apply.Outcome o) {
        return switch (o) {
            case Apply.Returned(Object v) -> Tuple.of(res, RETURN, v);
            case Apply.Raised(Atom kind, Object reason, List<Object> stack) when kind.name().equals("error") ->
                    Tuple.of(res, kind, reason, stack);
            case Apply.Raised(Atom kind, Object reason, List<Object> stack) -> Tuple.of(res, kind, reason);
        };
    }

    private static void finish(Apply.Outcome o) {
        if (o instanceof Apply.Raised r) {
            throw Process.exit(Apply.exitReason(r));
        }
    }

    /** {@code rpc:call}'s answer for an outcome: the value, or {@code {badrpc, {'EXIT', ...}}}. */
    public static Object rpcResult(Apply.Outcome o) {
        return switch (o) {
            case Apply.Returned(Object v) -> v;
            case Apply.Raised(Atom kind, Object reason, List<Object> stack) when kind.name().equals("throw") -> reason;
            case Apply.Raised(Atom kind, Object reason, List<Object> stack) when kind.name().equals("exit") ->
                    badrpc(Tuple.of(Atom.of("EXIT"), reason));
            case Apply.Raised(Atom kind, Object reason, List<Object> stack) ->
                    badrpc(Tuple.of(Atom.of("EXIT"), Tuple.of(reason, stack)));
        };
    }

    static Tuple badrpc(Object why) {
        return Tuple.of(Atom.of("badrpc"), why);
    }
}

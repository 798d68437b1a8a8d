package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.term.Export;

import java.util.Optional;
import java.util.Set;

/**
 * global's three resolve methods ({@code random_exit_name/3}, the default,
 * {@code random_notify_name/3}, {@code notify_all_name/3}) as global.erl runs them. They run on
 * the node of the registered pid: the local resolver calls them directly, and an erl node that
 * resolves a conflict for a pid of this node calls {@code global:resolve_it/4} here through rpc
 * (served by the rpc apply path).
 */
public final class ResolveMethods {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist.global");
    private static final Atom CONFLICT = Atom.of("global_name_conflict");
    private static final Atom NONE = Atom.of("none");
    private static final Set<String> METHODS = Set.of("random_exit_name", "random_notify_name", "notify_all_name");

    private ResolveMethods() {}

    /** True for {@code fun global:F/3} where F is one of the three. */
    public static boolean isBuiltin(Object method) {
        return method instanceof Export e && e.module() == Gns.GLOBAL && e.arity() == 3 && known(e.function().name());
    }

    /**
     * {@code Method(Name, Pid1, Pid2)} for one of global's own methods: the pid that keeps the
     * name, or {@code none}; empty when {@code method} is not one of them.
     */
    public static Optional<Object> resolve(Object method, Object name, Pid pid1, Pid pid2) {
        if (!isBuiltin(method)) {
            return Optional.empty();
        }
        return Optional.of(call(((Export) method).function().name(), name, pid1, pid2));
    }

    /** {@code global:F(Name, Pid1, Pid2)} for F one of the three (the caller checked {@link #known}). */
    public static Object call(String function, Object name, Pid pid1, Pid pid2) {
        Pid min = pid1.node().compareTo(pid2.node()) < 0 ? pid1 : pid2;
        Pid max = min == pid1 ? pid2 : pid1;
        return switch (function) {
            case "random_exit_name" -> {
                LOG.log(System.Logger.Level.INFO, "global: Name conflict terminating {" + name + "," + max + "}");
                Process.exit(max, Atom.of("kill"));
                yield min;
            }
            case "random_notify_name" -> {
                Process.send(max, Tuple.of(CONFLICT, name));
                yield min;
            }
            case "notify_all_name" -> {
                Process.send(pid1, Tuple.of(CONFLICT, name, pid2));
                Process.send(pid2, Tuple.of(CONFLICT, name, pid1));
                yield NONE;
            }
            default -> throw new IllegalArgumentException("not a resolve method of global: " + function);
        };
    }

    /** The names of global's own methods. */
    public static boolean known(String function) {
        return METHODS.contains(function);
    }
}

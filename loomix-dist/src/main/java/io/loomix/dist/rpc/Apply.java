package io.loomix.dist.rpc;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Exited;
import io.loomix.LocalNode;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.Node;
import io.loomix.dist.global.ResolveMethods;
import io.loomix.dist.term.Charlist;
import io.loomix.dist.term.ExitReasons;
import io.loomix.dist.term.Export;
import io.loomix.dist.term.Terms;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code apply(Module, Function, Args)} on this node, for other nodes' spawn requests and rpc:
 * {@code Module} names a Java class, {@code Function} one of its public static methods, chosen
 * among the overloads of that name by the number of arguments and then by how well the arguments
 * fit the parameter types (an integer fits {@code long} before {@code int} before {@code Object}).
 * A few of Erlang's own functions answer as on BEAM ({@code erlang:node/0}, {@code nodes/0,1},
 * {@code is_alive/0}, {@code apply/3}, {@code exit/1}, {@code error/1}, {@code throw/1},
 * {@code net_adm:ping/1}, and global's {@code resolve_it/4} and three resolve methods, which an
 * erl node resolving a name conflict for a pid of this node calls here).
 *
 * <p>The outcome is what Erlang's {@code try apply(M, F, A)} would give: a value, or an
 * exception of class {@code error} (with a stack), {@code exit} or {@code throw}. A missing class
 * or method is {@code error:undef} with the stack {@code [{M, F, Args, []}]}, arguments that fit
 * no overload {@code error:badarg}, a Java exception {@code error:{'java.lang.X', <<"message">>}}
 * with the Java stack as Erlang frames, {@code Process.exit(R)} {@code exit:R}.
 */
public final class Apply {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");
    private static final Atom ERROR = Atom.of("error");
    private static final Atom EXIT = Atom.of("exit");
    private static final Atom THROW = Atom.of("throw");
    private static final Atom UNDEF = Atom.of("undef");
    private static final Atom BADARG = Atom.of("badarg");
    private static final Atom OK = Atom.of("ok");

    /** What an apply gave: a value, or an exception of {@code kind} error, exit or throw. */
    public sealed interface Outcome {}

    public record Returned(Object value) implements Outcome {}

    /** {@code stack} is empty for exit and throw. */
    public record Raised(Atom kind, Object reason, List<Object> stack) implements Outcome {}

    private interface Builtin {
        Object apply(List<Object> args) throws Throwable;
    }

    private interface Body {
        Object run() throws Throwable;
    }

    private static final Map<String, Builtin> BUILTINS = Map.ofEntries(
            Map.entry("erlang:node/0", a -> LocalNode.name()),
            Map.entry("erlang:nodes/0", a -> Node.list()),
            Map.entry("erlang:nodes/1", a -> nodes(a.getFirst())),
            Map.entry("erlang:is_alive/0", a -> Node.alive()),
            Map.entry("erlang:exit/1", a -> {
                throw Process.exit(a.getFirst());
            }),
            Map.entry("erlang:error/1", a -> {
                throw new Raise(new Raised(ERROR, a.getFirst(), List.of(frame("erlang", "error", a))));
            }),
            Map.entry("erlang:throw/1", a -> {
                throw new Raise(new Raised(THROW, a.getFirst(), List.of()));
            }),
            Map.entry("net_adm:ping/1", a -> Node.ping((Atom) a.getFirst())),
            Map.entry("loomix_lambda:run/1", a -> {
                Lambdas.fromTerm(a.getFirst()).run();
                return OK;
            }),
            Map.entry("global:resolve_it/4", Apply::resolveIt),
            Map.entry("global:random_exit_name/3", a -> resolveMethod("random_exit_name", a)),
            Map.entry("global:random_notify_name/3", a -> resolveMethod("random_notify_name", a)),
            Map.entry("global:notify_all_name/3", a -> resolveMethod("notify_all_name", a)));

    private static final java.util.Set<String> BUILTIN_MODULES = java.util.Set.of("erlang", "net_adm", "loomix_lambda", "global");

    /** How a module name becomes a class; replaceable so code loaded at run time is found too. */
    private static volatile Function<String, Class<?>> classes = Apply::loadClass;

    /** Class-path classes by name, once found (a class loaded at run time goes through the resolver each time). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Class<?>> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    /** A class's public static methods by "name/arity", each list in a fixed order (reflection is slow per call). */
    private static final ClassValue<Map<String, List<Method>>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, List<Method>> computeValue(Class<?> type) {
            Map<String, List<Method>> out = new java.util.HashMap<>();
            Arrays.stream(type.getMethods())
                    .filter(m -> Modifier.isStatic(m.getModifiers()) && !m.isVarArgs())
                    .sorted(Comparator.comparing(Method::toGenericString))
                    .forEach(m -> out.computeIfAbsent(m.getName() + "/" + m.getParameterCount(), k -> new ArrayList<>()).add(m));
            out.replaceAll((k, v) -> List.copyOf(v));
            return Map.copyOf(out);
        }
    };

    private Apply() {}

    /** Lets {@code resolver} find classes by name first (null: it does not know the name). */
    public static void classResolver(Function<String, Class<?>> resolver) {
        classes = resolver == null ? Apply::loadClass : name -> {
            Class<?> c = resolver.apply(name);
            return c != null ? c : loadClass(name);
        };
    }

    /** The class {@code name} names here (the resolver's first), null when none. */
    static Class<?> findClass(String name) {
        return classes.apply(name);
    }

    /** Runs {@code module:function(args)} in the calling process. */
    public static Outcome apply(Atom module, Atom function, List<Object> args) {
        if (module.name().equals("erlang") && function.name().equals("apply") && args.size() == 3
                && args.get(0) instanceof Atom m && args.get(1) instanceof Atom f && args.get(2) instanceof List<?> a) {
            return apply(m, f, List.copyOf(a));
        }
        if (module.name().equals("erlang") && function.name().equals("apply") && args.size() == 2
                && args.get(0) instanceof io.loomix.dist.term.Fun fun && args.get(1) instanceof List<?> a) {
            return erlangFun(fun, List.copyOf(a));
        }
        if (BUILTIN_MODULES.contains(module.name())) {
            Builtin b = BUILTINS.get(module.name() + ":" + function.name() + "/" + args.size());
            if (b != null) {
                return guard(() -> b.apply(args));
            }
        }
        Class<?> cls = classes.apply(module.name());
        List<Method> named = cls == null ? List.of() : METHODS.get(cls).getOrDefault(function.name() + "/" + args.size(), List.of());
        if (named.isEmpty()) {
            return new Raised(ERROR, UNDEF, List.of(frame(module.name(), function.name(), args)));
        }
        Method best = null;
        Object[] bestArgs = null;
        int bestCost = Integer.MAX_VALUE;
        for (Method m : named) {
            Object[] converted = new Object[args.size()];
            int cost = fit(m, args, converted);
            if (cost < bestCost) {
                best = m;
                bestArgs = converted;
                bestCost = cost;
            }
        }
        if (best == null) {
            return new Raised(ERROR, BADARG, List.of(frame(module.name(), function.name(), args)));
        }
        Method chosen = best;
        Object[] callArgs = bestArgs;
        return guard(() -> {
            try {
                Object v = chosen.invoke(null, callArgs);
                return chosen.getReturnType() == void.class ? OK : v;
            } catch (IllegalAccessException e) {
                throw new Raise(new Raised(ERROR, UNDEF, List.of(frame(module.name(), function.name(), args))));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /**
     * {@code erlang:apply(Fun, Args)} with a fun made on an Erlang node ({@code spawn(Node, Fun)},
     * {@code rpc:call(Node, erlang, apply, [Fun, Args])}, {@code erpc:call(Node, Fun)}). BEAM runs a
     * fun only with its module loaded, and a Loomix node cannot load Erlang modules, so the
     * answer is BEAM's for a module that cannot be loaded: {@code error:undef} with the stack
     * {@code [{Fun, Args, []}, {erlang, apply, 2, []}]}, or first {@code {badarity, {Fun, Args}}}
     * when the number of arguments is wrong (which BEAM checks before it looks for the code).
     */
    private static Outcome erlangFun(io.loomix.dist.term.Fun fun, List<Object> args) {
        Tuple apply2 = Tuple.of(Atom.of("erlang"), Atom.of("apply"), 2L, List.of());
        if (fun.arity() != args.size()) {
            return new Raised(ERROR, Tuple.of(Atom.of("badarity"), Tuple.of(fun, args)), List.of(apply2));
        }
        LOG.log(System.Logger.Level.WARNING, "Erlang fun " + fun + " was called on this Loomix node, which cannot"
                + " run it: it is code of the Erlang module '" + fun.module() + "', and a Loomix node cannot load Erlang"
                + " modules. The call fails with undef, as on an erl node where that module cannot be loaded. Call a"
                + " public static Java method as Module:Function(Args) instead, or run the fun on an erl node.");
        return new Raised(ERROR, UNDEF, List.of(Tuple.of(fun, args, List.of()), apply2));
    }

    /** The term an {@link Outcome} gives as a process's exit reason when nobody catches it (Erlang's). */
    public static Object exitReason(Raised r) {
        return switch (r.kind().name()) {
            case "exit" -> r.reason();
            case "throw" -> Tuple.of(Tuple.of(Atom.of("nocatch"), r.reason()), r.stack());
            default -> Tuple.of(r.reason(), r.stack());
        };
    }

    /** An exception thrown by a builtin to give its exact outcome. */
    private static final class Raise extends RuntimeException {
        final Raised raised;

        Raise(Raised raised) {
            super(null, null, false, false);
            this.raised = raised;
        }
    }

    private static Outcome guard(Body body) {
        try {
            Object v = normal(body.run());
            try {
                if (!(v instanceof Atom || v instanceof Long || v instanceof Double || v instanceof String
                        || v instanceof io.loomix.Binary || v instanceof Boolean)) {
                    Terms.encode(v);
                }
            } catch (IllegalArgumentException e) {
                return new Raised(ERROR, Tuple.of(Atom.of("not_a_term"), io.loomix.Binary.utf8(v.getClass().getName())),
                        List.of());
            }
            return new Returned(v);
        } catch (Raise r) {
            return r.raised;
        } catch (Exited e) {
            return new Raised(EXIT, ExitReasons.toTerm(Process.exitReasonOf(e)), List.of());
        } catch (Throwable t) {
            Tuple crash = (Tuple) ExitReasons.toTerm(new ExitReason.Crash(t));
            @SuppressWarnings("unchecked")
            List<Object> stack = (List<Object>) crash.get(1);
            return new Raised(ERROR, crash.get(0), stack);
        }
    }

    /** Java values Erlang has one type for: every integer a long, every float a double. */
    private static Object normal(Object v) {
        return switch (v) {
            case null -> Atom.of("undefined");
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Character c -> (long) c;
            case Float f -> (double) f;
            default -> v;
        };
    }

    /** The cost of calling {@code m} with {@code args} (lower fits better), MAX_VALUE when they do not fit. */
    private static int fit(Method m, List<Object> args, Object[] out) {
        Class<?>[] types = m.getParameterTypes();
        var generic = m.getGenericParameterTypes();
        int cost = 0;
        for (int i = 0; i < types.length; i++) {
            Object a = args.get(i);
            Class<?> t = types[i];
            if (t == Object.class) {
                out[i] = a;
                cost += 2;
            } else if (natural(a, t)) {
                out[i] = a;
            } else if (t == String.class && a instanceof Charlist c) {
                out[i] = c.text();
                cost += 1;
            } else if (t == String.class && a instanceof List<?> l && Charlist.isCharlist(l)) {
                out[i] = Charlist.of(l).text();
                cost += 1;
            } else {
                var v = Terms.as(a, t, generic[i]);
                if (v.isEmpty()) {
                    return Integer.MAX_VALUE;
                }
                out[i] = v.get();
                cost += 1;
            }
        }
        return cost;
    }

    /** The parameter type a term already is: no conversion. */
    private static boolean natural(Object a, Class<?> t) {
        return t.isInstance(a) || (t == long.class && a instanceof Long) || (t == double.class && a instanceof Double)
                || (t == boolean.class && a instanceof Boolean);
    }

    private static Object nodes(Object which) {
        List<Atom> visible = Node.list();
        if (!(which instanceof Atom a)) {
            throw new Raise(new Raised(ERROR, BADARG, List.of(frame("erlang", "nodes", List.of(which)))));
        }
        return switch (a.name()) {
            case "visible" -> visible;
            case "connected" -> Node.listAll();
            case "hidden" -> {
                List<Atom> hidden = new ArrayList<>(Node.listAll());
                hidden.removeAll(visible);
                yield hidden;
            }
            case "this" -> List.of(LocalNode.name());
            case "known" -> {
                List<Atom> known = new ArrayList<>(Node.listAll());
                known.addFirst(LocalNode.name());
                yield known;
            }
            default -> throw new Raise(new Raised(ERROR, BADARG, List.of(frame("erlang", "nodes", List.of(which)))));
        };
    }

    /**
     * global:resolve_it/4, {@code catch Method(Name, Pid1, Pid2)}: what an erl node calls here
     * through rpc when it resolves a name conflict for a pid of this node. global's own methods
     * run as global.erl runs them; {@code fun M:F/3} runs as {@code M:F(Name, Pid1, Pid2)} (a Java
     * class here); an Erlang fun cannot run on this node and is caught as {@code undef} (see {@link #erlangFun}).
     */
    private static Object resolveIt(List<Object> a) throws Throwable {
        if (!(a.get(2) instanceof io.loomix.Pid p1 && a.get(3) instanceof io.loomix.Pid p2)) {
            throw new Raise(new Raised(ERROR, BADARG, List.of(frame("global", "resolve_it", a))));
        }
        Object method = a.get(0);
        var builtin = ResolveMethods.resolve(method, a.get(1), p1, p2);
        if (builtin.isPresent()) {
            return builtin.get();
        }
        List<Object> args = List.of(a.get(1), p1, p2);
        Outcome o = method instanceof Export e && e.arity() == 3 ? apply(e.module(), e.function(), args)
                : method instanceof io.loomix.dist.term.Fun f ? erlangFun(f, args)
                : new Raised(ERROR, UNDEF, List.of(frame("erlang", "apply", List.of(method, args))));
        return switch (o) {
            case Returned(Object v) -> v;
            case Raised r when r.kind() == THROW -> r.reason();
            case Raised r -> Tuple.of(Atom.of("EXIT"), exitReason(r));
        };
    }

    private static Object resolveMethod(String function, List<Object> a) {
        if (!(a.get(1) instanceof io.loomix.Pid p1 && a.get(2) instanceof io.loomix.Pid p2)) {
            throw new Raise(new Raised(ERROR, BADARG, List.of(frame("global", function, a))));
        }
        return ResolveMethods.call(function, a.get(0), p1, p2);
    }

    private static Tuple frame(String module, String function, List<Object> args) {
        return Tuple.of(Atom.of(module), Atom.of(function), List.copyOf(args), List.of());
    }

    private static Class<?> loadClass(String name) {
        Class<?> known = LOADED.get(name);
        if (known != null) {
            return known;
        }
        Class<?> found = findOnClassPath(name);
        if (found != null) {
            LOADED.putIfAbsent(name, found);
        }
        return found;
    }

    private static Class<?> findOnClassPath(String name) {
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), Apply.class.getClassLoader(),
            ClassLoader.getSystemClassLoader()};
        for (ClassLoader l : loaders) {
            if (l == null) {
                continue;
            }
            try {
                return Class.forName(name, false, l);
            } catch (ClassNotFoundException | LinkageError e) {
                // the next loader may know it
            }
        }
        return null;
    }
}

package io.loomix.code;

import io.loomix.Pid;
import io.loomix.Process;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A module by name: each call through it runs the module's <em>current</em> version, as a fully
 * qualified call {@code Spin:loop(N)} does in Erlang. A direct Java call ({@code loop(n)} inside
 * Spin, or {@code Spin.loop(n)} from another class) is a local call: Java links it once, so it
 * stays in the version it started in.
 *
 * {@snippet :
 * Mod spin = Code.mod("Spin");
 * Pid p = spin.spawn("loop", 0);          // spawn(Spin, loop, [0])
 * String v = (String) spin.call("version");
 * }
 *
 * <p>A function is a public static method of the module's main class, chosen by name and by the
 * arguments (boxed values match primitive parameters). A process whose loop should move to new
 * code at each turn returns {@link #tail} from the function {@link #spawn} started, instead of
 * calling itself: that is Erlang's tail call {@code ?MODULE:loop(N+1)}, without the Java stack
 * growing at each turn.
 *
 * {@snippet :
 * public static Object loop(Integer n) {
 *     return receive(Duration.ofSeconds(1), m -> m.equals("stop") ? "stopped" : null,
 *             () -> Code.mod(Spin.class).tail("loop", n + 1));
 * }
 * }
 *
 * <p>Handles are values: cheap, immutable, safe to send and to keep in static fields. A call
 * costs one map lookup and a reflective call over a direct one.
 */
public final class Mod {
    private final CodeServer server;
    private final String name;

    Mod(CodeServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Calls {@code function} of the current version with {@code args} and returns its result (null
     * for a void function).
     *
     * @throws UndefinedFunctionException if the module is not loaded or does not export it
     */
    public Object call(String function, Object... args) {
        Object[] a = args == null ? new Object[] {null} : args;
        Method m = resolve(function, a);
        try {
            return m.invoke(null, a);
        } catch (InvocationTargetException e) {
            throw Mod.<RuntimeException>sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + this + "." + function + ": " + e.getMessage(), e);
        }
    }

    /**
     * Spawns a process that calls {@code function(args)} of the current version, and goes on with
     * each {@link Tail} the function returns, each time in the then current version (Erlang's
     * {@code spawn(Mod, Fun, Args)} with a loop of fully qualified tail calls). Anything else it
     * returns ends the process normally.
     */
    public Pid spawn(String function, Object... args) {
        resolve(function, args == null ? new Object[] {null} : args); // undef here, in the caller
        Tail first = tail(function, args);
        return Process.spawn(() -> first.run());
    }

    /** {@link #spawn} linked to the caller. */
    public Pid spawnLink(String function, Object... args) {
        resolve(function, args == null ? new Object[] {null} : args);
        Tail first = tail(function, args);
        return Process.spawnLink(() -> first.run());
    }

    /** A fully qualified tail call to return from a function run by {@link #spawn}. */
    public Tail tail(String function, Object... args) {
        return new Tail(this, Objects.requireNonNull(function, "function"), args == null ? new Object[] {null} : args.clone());
    }

    /** The main class of the current version. */
    public Class<?> current() {
        return version().main();
    }

    /** The current version's number. */
    public int vsn() {
        return version().vsn;
    }

    private Version version() {
        Version v = server.currentVersion(name);
        if (v == null) {
            throw new UndefinedFunctionException("undef: module " + name + " is not loaded on " + server
                    + " (compile and load it with Code.c(\"" + name.substring(name.lastIndexOf('.') + 1) + ".java\"))");
        }
        return v;
    }

    private Method resolve(String function, Object[] args) {
        Version v = version();
        Method[] candidates = v.functions(function);
        for (Method m : candidates) {
            if (accepts(m, args)) {
                return m;
            }
        }
        String given = Arrays.stream(args).map(a -> a == null ? "null" : a.getClass().getSimpleName())
                .collect(Collectors.joining(", "));
        throw new UndefinedFunctionException("undef: " + name + "." + function + "/" + args.length + " (" + given
                + ") is not exported by " + name + " version " + v.vsn + "; its public static methods are "
                + v.exports());
    }

    private static boolean accepts(Method m, Object[] args) {
        Class<?>[] params = m.getParameterTypes();
        if (params.length != args.length) {
            return false;
        }
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i].isPrimitive() ? box(params[i]) : params[i];
            if (args[i] == null ? params[i].isPrimitive() : !p.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> box(Class<?> primitive) {
        return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mod m && m.server == server && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * A fully qualified tail call, made by {@link Mod#tail}: returned from a function that
     * {@link Mod#spawn} runs, it is called next, in the module's version current at that moment.
     */
    public static final class Tail {
        private final Mod mod;
        private final String function;
        private final Object[] args;

        Tail(Mod mod, String function, Object[] args) {
            this.mod = mod;
            this.function = function;
            this.args = args;
        }

        void run() {
            Object next = this;
            while (next instanceof Tail t) {
                next = t.mod.call(t.function, t.args);
            }
        }

        @Override
        public String toString() {
            return mod + "." + function + Arrays.toString(args);
        }
    }
}

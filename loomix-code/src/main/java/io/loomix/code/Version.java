package io.loomix.code;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** One loaded version of a module: its loader, its main class, and the functions it exports. */
final class Version {
    final String module;
    final int vsn;
    final ModuleBinary binary;
    final ModuleLoader loader;
    final Instant loadedAt = Instant.now();
    private volatile Class<?> main;
    private final ConcurrentHashMap<String, Method[]> functions = new ConcurrentHashMap<>();

    Version(String module, int vsn, ModuleBinary binary, ModuleLoader loader) {
        this.module = module;
        this.vsn = vsn;
        this.binary = binary;
        this.loader = loader;
    }

    Class<?> main() {
        Class<?> c = main;
        if (c == null) {
            try {
                c = Class.forName(module, false, loader); // initialised at its first call, not under the server's lock
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("module " + module + " lost its own class", e);
            }
            main = c;
        }
        return c;
    }

    /** The exported (public static) methods named {@code name}. */
    Method[] functions(String name) {
        return functions.computeIfAbsent(name, n -> Arrays.stream(main().getDeclaredMethods())
                .filter(m -> m.getName().equals(n) && exported(m))
                .peek(m -> m.setAccessible(true)) // the class itself may be package-private
                .toArray(Method[]::new));
    }

    /** {@code name/arity} of each exported function, for messages. */
    List<String> exports() {
        List<String> out = new ArrayList<>();
        Arrays.stream(main().getDeclaredMethods()).filter(Version::exported)
                .sorted(Comparator.comparing(Method::getName).thenComparing(Method::getParameterCount))
                .forEach(m -> out.add(m.getName() + "/" + m.getParameterCount()));
        return out;
    }

    private static boolean exported(Method m) {
        int mod = m.getModifiers();
        return Modifier.isPublic(mod) && Modifier.isStatic(mod) && !m.isSynthetic();
    }

    Loaded describe(boolean hasOld) {
        return new Loaded(module, vsn, binary.origin(), loadedAt, hasOld);
    }

    @Override
    public String toString() {
        return module + " v" + vsn;
    }
}

package io.loomix.shell;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The class the shell declares for a module loaded with {@code c()}: it has the module's simple
 * name and one static method per function the module exports, each a fully qualified call through
 * {@code Code.mod(module)}. A snippet that says {@code Greeter.hi()} compiles against this class
 * and, when it runs, calls whatever version of Greeter is current then: after the next {@code c()}
 * of Greeter.java, the next {@code Greeter.hi()} runs the new code, while values computed earlier
 * stay as they were.
 *
 * <p>A parameter or result whose type comes with the module (a record declared in its file, say)
 * is typed {@code Object} in the facade, since snippets cannot name a class of one version.
 */
final class Facades {
    private Facades() {}

    record Facade(String name, String source) {}

    static Facade of(String module, Class<?> main) {
        String name = main.getSimpleName();
        StringBuilder src = new StringBuilder("public final class " + name + " {\n    private " + name + "() {}\n");
        Set<String> signatures = new LinkedHashSet<>();
        Method[] methods = main.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName).thenComparing(Method::getParameterCount));
        for (Method m : methods) {
            int mod = m.getModifiers();
            if (!Modifier.isPublic(mod) || !Modifier.isStatic(mod) || m.isSynthetic()) {
                continue;
            }
            Class<?>[] params = m.getParameterTypes();
            String paramList = java.util.stream.IntStream.range(0, params.length)
                    .mapToObj(i -> (m.isVarArgs() && i == params.length - 1 && visible(params[i])
                            ? typeName(params[i].getComponentType()) + "..." : typeName(params[i])) + " a" + i)
                    .collect(Collectors.joining(", "));
            String signature = m.getName() + "(" + Arrays.stream(params).map(Facades::typeName)
                    .collect(Collectors.joining(",")) + ")";
            if (!signatures.add(signature)) {
                continue; // two methods that differ only in module-private types: the first one speaks for both
            }
            // An explicit array, so that a single array argument is not taken for the varargs themselves.
            String args = params.length == 0 ? "" : java.util.stream.IntStream.range(0, params.length)
                    .mapToObj(i -> "a" + i).collect(Collectors.joining(", ", ", new Object[] {", "}"));
            String call = "io.loomix.code.Code.mod(\"" + module + "\").call(\"" + m.getName() + "\"" + args + ")";
            Class<?> ret = m.getReturnType();
            String body = ret == void.class ? call + ";"
                    : ret == Object.class || !visible(ret) ? "return " + call + ";"
                    : "return (" + typeName(ret) + ") " + call + ";";
            src.append("    public static ").append(typeName(ret)).append(' ').append(m.getName())
                    .append('(').append(paramList).append(") { ").append(body).append(" }\n");
        }
        return new Facade(name, src.append("}\n").toString());
    }

    private static String typeName(Class<?> t) {
        if (t.isPrimitive()) {
            return t.getName();
        }
        if (!visible(t)) {
            return "Object";
        }
        return t.getCanonicalName();
    }

    /** Whether a snippet can name {@code t}: public, not of a loaded module, from the JDK or the class path. */
    private static boolean visible(Class<?> t) {
        while (t.isArray()) {
            t = t.getComponentType();
        }
        if (t.isPrimitive()) {
            return true;
        }
        ClassLoader l = t.getClassLoader();
        boolean fromClassPath = l == null || l == ClassLoader.getPlatformClassLoader() || l == Facades.class.getClassLoader();
        for (Class<?> c = t; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return fromClassPath && t.getCanonicalName() != null
                && (!t.getModule().isNamed() || t.getModule().isExported(t.getPackageName()));
    }
}

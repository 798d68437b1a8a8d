package io.loomix.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The Java agent that makes CPU-bound processes preemptible: it inserts yield points
 * ({@link YieldPoints}) into application classes as they load. Start the JVM with
 * {@code -javaagent:loomix-agent.jar}: for applications that own their {@code main} and for the
 * tests. Any agent makes the JVM report every virtual-thread mount and unmount to JVMTI, which
 * costs message passing; {@link YieldPointClassLoader} inserts the same yield points with no agent
 * (the {@code ./loomix} launcher's way, except for the shell).
 *
 * <p>Instrumented: every class whose loader can see {@code io.loomix.YieldPoint}, except the
 * JDK's ({@code java.*}, {@code javax.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*} and
 * anything the boot or platform loader defines), Loomix's own runtime ({@code io.loomix} and
 * {@code io.loomix.internal}: a yield inside the runtime's critical sections would stall the
 * others), the distribution's wire and codec ({@link #distributionRuntime}) and this agent. JDK
 * code therefore runs without yield points: a process inside a long
 * {@code Arrays.sort} or a big {@code BigInteger} multiplication keeps its carrier until the call
 * returns, as a long BIF once kept a BEAM scheduler.
 *
 * <p>{@code -Dloomix.agent.verbose=true} logs each failure to instrument a class (the class is then
 * loaded unchanged). {@code -Dloomix.agent.exclude=org.jline.,com.example.ui.} leaves more packages
 * alone (comma-separated name prefixes): libraries whose code never runs long inside a process,
 * such as the shell's line editor, then load without the cost of rewriting them (for the shell,
 * JLine's classes took its terminal's start from 0.5 s to 2 s).
 */
public final class LoomixAgent {
    private static final boolean VERBOSE = Boolean.getBoolean("loomix.agent.verbose");
    private static final String[] EXCLUDED = prefixes(System.getProperty("loomix.agent.exclude", ""));

    private LoomixAgent() {}

    public static void premain(String args, Instrumentation inst) {
        install(inst);
    }

    /** For {@code java -jar} with this agent as the jar's Launcher-Agent-Class, and for attaching. */
    public static void agentmain(String args, Instrumentation inst) {
        install(inst);
    }

    private static void install(Instrumentation inst) {
        ClassLoader hookLoader;
        try {
            hookLoader = Class.forName("io.loomix.YieldPoint", true, ClassLoader.getSystemClassLoader())
                    .getClassLoader();
        } catch (ClassNotFoundException e) {
            System.err.println("loomix-agent: io.loomix.YieldPoint is not on the class path, so no yield points"
                    + " are inserted; put loomix-core on the class path, or drop -javaagent.");
            return;
        }
        // Loaded before any instrumented class needs them, so that loading them never recurses.
        io.loomix.YieldPoint.poll();
        inst.addTransformer(new Transformer(hookLoader));
    }

    /** {@code -Dloomix.agent.exclude}'s comma-separated name prefixes, in internal form. */
    public static String[] prefixes(String property) {
        return java.util.Arrays.stream(property.split(",")).map(String::strip).filter(p -> !p.isEmpty())
                .map(p -> p.replace('.', '/')).toArray(String[]::new);
    }

    /** Whether the class named (internal form) is left alone whatever its loader. */
    static boolean excluded(String internalName) {
        return excluded(internalName, EXCLUDED);
    }

    /** {@link #excluded(String)} with {@code extra} prefixes (internal form) besides the built-in ones. */
    public static boolean excluded(String internalName, String[] extra) {
        for (String prefix : extra) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return internalName.startsWith("java/")
                || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/")
                || runtime(internalName)
                || distributionRuntime(internalName);
    }

    /**
     * The distribution's wire and term codec ({@code io.loomix.dist.net}, {@code io.loomix.dist.term}):
     * ERTS's part of distribution, where BEAM runs a signal send or a term's encoding as one step.
     * Rewritten, a process could be preempted or, at the yield point, take a pending exit signal
     * in the middle of a connection's or the node table's bookkeeping (its monitors, links and
     * pending spawns by peer) or while holding a connection's write lock: with them rewritten,
     * ErlSignalsTest (an erl node's monitor by name) and GlobalClusterTest (a name released when
     * its holder exits) fail every time, and they pass without. No user code runs there: a remote
     * spawn's function runs in its own classes, which keep their yield points. Unlike
     * {@link #runtime}, these classes are still defined by {@link YieldPointClassLoader} itself.
     */
    static boolean distributionRuntime(String internalName) {
        return internalName.startsWith("io/loomix/dist/net/") || internalName.startsWith("io/loomix/dist/term/");
    }

    /**
     * Whether the class named (internal form) is Loomix's runtime or this agent: {@code io.loomix}
     * (top level), {@code io.loomix.internal*}, {@code io.loomix.agent}. Never rewritten (a yield
     * inside the runtime's critical sections would stall the others), and
     * {@link YieldPointClassLoader} leaves them to its parent, so there is one copy of them.
     */
    static boolean runtime(String internalName) {
        return internalName.startsWith("io/loomix/internal/")
                || internalName.startsWith("io/loomix/agent/")
                || (internalName.startsWith("io/loomix/") && internalName.indexOf('/', "io/loomix/".length()) < 0);
    }

    /**
     * The class with yield points, or null to define it as it is: it is {@link #excluded(String)},
     * has no code, already has them, or cannot be rewritten (then it runs without; logged under
     * {@code -Dloomix.agent.verbose=true}). What the agent does to each class it sees; class loaders
     * that define classes without the agent (the code server's, {@link YieldPointClassLoader}) call it
     * for theirs, so the same classes get the same yield points either way.
     *
     * @param internalName the class's name with slashes ({@code com/example/Spin})
     * @param loader the loader that will define it, which must see {@code io.loomix.YieldPoint}
     */
    public static byte[] rewrite(String internalName, byte[] classFile, ClassLoader loader) {
        if (excluded(internalName) || Marks.marked(classFile)) {
            return null;
        }
        try {
            return YieldPoints.instrument(classFile, loader);
        } catch (RuntimeException | LinkageError e) {
            // A class we cannot rewrite still runs, only without yield points.
            if (VERBOSE) {
                System.err.println("loomix-agent: left " + internalName + " uninstrumented: " + e);
            }
            return null;
        }
    }

    private record Transformer(ClassLoader hookLoader) implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className,
                                Class<?> classBeingRedefined, ProtectionDomain domain, byte[] classfileBuffer) {
            if (className == null || loader == null || loader == ClassLoader.getPlatformClassLoader() || !sees(loader)) {
                return null;
            }
            return rewrite(className, classfileBuffer, loader);
        }

        /** Whether classes of {@code loader} resolve io.loomix.YieldPoint to ours (parent-first delegation). */
        private boolean sees(ClassLoader loader) {
            for (ClassLoader l = loader; l != null; l = l.getParent()) {
                if (l == hookLoader) {
                    return true;
                }
            }
            return false;
        }
    }
}

package io.loomix.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A peer that is a main class on this JVM's classpath, run in a fresh JVM of the same binary.
 * {@code manyProcessesOptions} are added for the workloads that hold a million processes at once.
 */
record JvmPeer(String name, String mainClass, List<String> jvmOptions, List<String> manyProcessesOptions) implements Peer {

    /** Both JVM peers get the same heap where a million processes or actors must fit at once. */
    private static final String IDLE_HEAP = "-Xmx16g";

    /**
     * The Loomix peer as a user runs a node: the flags of jvm.properties' loomix.jvm.flags, and for
     * the rows that hold a million processes loomix.jvm.manyProcesses too, as {@code ./loomix node
     * --many-processes} runs a node for that many.
     */
    static JvmPeer loomix() {
        return loomix(true);
    }

    /**
     * With {@code manyProcessesJvm}, the rows that hold a million processes get jvm.properties'
     * loomix.jvm.manyProcesses (a young generation that holds them: see there) beside -Xmx16g, as
     * BEAM's get +P; without it (the bench's --default-young-gen), G1's own sizing.
     */
    static JvmPeer loomix(boolean manyProcessesJvm) {
        // The flags ./loomix and the tests use (jvm.properties); 1 MiB stacks match the tests.
        var options = new ArrayList<>(loomixFlags());
        options.add("-Xss1m");
        // The yield points that preempt CPU-bound processes, as ./loomix inserts them: by the class
        // loader of jvm.properties' loomix.jvm.yieldPoints, with no agent. Any agent makes the JVM
        // report every virtual-thread mount to JVMTI, which costs message passing;
        // -Dloomix.bench.yieldPoints=agent runs the peer with the agent instead, to compare.
        if ("agent".equals(System.getProperty("loomix.bench.yieldPoints"))) {
            agentJar().ifPresent(jar -> options.add("-javaagent:" + jar));
        } else if (onClassPath("io.loomix.agent.YieldPointClassLoader")) {
            options.addAll(flags("loomix.jvm.yieldPoints"));
        }
        // Extra flags for the Loomix peer's JVMs (the dist workloads' second node inherits them),
        // to compare settings: LOOMIX_BENCH_JVM_OPTS='-Dloomix.dist.carrierPoll=false' ./loomix bench ...
        String extra = System.getenv("LOOMIX_BENCH_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return new JvmPeer("loomix", "io.loomix.bench.LoomixBench", List.copyOf(options), manyProcessesOptions(manyProcessesJvm));
    }

    /** What the Loomix peer's rows that hold a million processes get beyond -Xmx16g. */
    private static List<String> manyProcessesOptions(boolean manyProcessesJvm) {
        return manyProcessesJvm ? flags("loomix.jvm.manyProcesses") : List.of();
    }

    /** The class-path flags of the root's jvm.properties, which the build copies beside this class. */
    static List<String> loomixFlags() {
        return flags("loomix.jvm.flags");
    }

    private static List<String> flags(String key) {
        var properties = new Properties();
        try (InputStream in = JvmPeer.class.getResourceAsStream("jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm.properties is missing from loomix-bench's classes; rebuild with mvn package");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String flags = properties.getProperty(key);
        if (flags == null || flags.isBlank()) {
            throw new IllegalStateException("jvm.properties has no " + key + " line; see the root's jvm.properties");
        }
        return List.of(flags.trim().split("\\s+"));
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, JvmPeer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** loomix-agent's jar on this JVM's class path (a dependency of the bench, copied to target/lib). */
    private static Optional<String> agentJar() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String file = Path.of(entry).getFileName() == null ? "" : Path.of(entry).getFileName().toString();
            if (file.startsWith("loomix-agent-") && file.endsWith(".jar") && !file.endsWith("-early.jar")) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /**
     * Pekko's rows that hold a million actors get -Xmx16g only: Loomix's young generation for a
     * million processes made its broadcast slower (6.2-6.5 s against 3.4-4.3 s with G1's own
     * sizing, alternated), and Pekko documents no setting of its own for that many actors.
     */
    static JvmPeer pekko() {
        // Pekko 1.x still uses sun.misc.Unsafe; allowing it silences JDK 24+'s warning, nothing else changes.
        return new JvmPeer("pekko", "io.loomix.bench.pekko.PekkoBench",
                List.of("--sun-misc-unsafe-memory-access=allow"), List.of());
    }

    @Override
    public Optional<String> unavailable() {
        try {
            Class.forName(mainClass, false, JvmPeer.class.getClassLoader());
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of(mainClass + " is not on the classpath");
        } catch (LinkageError e) {
            return Optional.of(mainClass + " does not load: " + e);
        }
    }

    @Override
    public ProcessBuilder command(Workload workload, int size) {
        var command = new ArrayList<String>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        if (workload.holdsManyProcesses()) {
            command.add(IDLE_HEAP);
            command.addAll(manyProcessesOptions);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, workload.id(), String.valueOf(size)));
        return new ProcessBuilder(command);
    }

    /** The java running the harness, so every JVM peer uses the same JDK. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

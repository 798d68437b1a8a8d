package io.loomix.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A peer that is a main class on this JVM's classpath, run in a fresh JVM of the same binary. */
record JvmPeer(String name, String mainClass, List<String> jvmOptions) implements Peer {

    /** Both JVM peers get the same heap where a million processes or actors must fit at once. */
    private static final String IDLE_HEAP = "-Xmx16g";

    static JvmPeer loomix() {
        // Loomix's scheduler needs java.lang opened; 1 MiB stacks match the project's tests;
        // the agent inserts the yield points that preempt CPU-bound processes, as ./loomix does.
        // jdk.trackAllThreads=false, as ./loomix: no global set of all virtual threads.
        var options = new ArrayList<>(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED", "-Djdk.trackAllThreads=false", "-Xss1m"));
        agentJar().ifPresent(jar -> {
            // As ./loomix does: no JVMTI reports of virtual-thread mounts, which any agent would
            // otherwise turn on at a cost of about a third of message-passing speed.
            options.add("-XX:+UnlockExperimentalVMOptions");
            options.add("-XX:-DoJVMTIVirtualThreadTransitions");
            options.add("-javaagent:" + jar);
        });
        return new JvmPeer("loomix", "io.loomix.bench.LoomixBench", List.copyOf(options));
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

    static JvmPeer pekko() {
        // Pekko 1.x still uses sun.misc.Unsafe; allowing it silences JDK 24+'s warning, nothing else changes.
        return new JvmPeer("pekko", "io.loomix.bench.pekko.PekkoBench",
                List.of("--sun-misc-unsafe-memory-access=allow"));
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
        if (workload.holdsManyProcesses()) command.add(IDLE_HEAP);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, workload.id(), String.valueOf(size)));
        return new ProcessBuilder(command);
    }

    /** The java running the harness, so every JVM peer uses the same JDK. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

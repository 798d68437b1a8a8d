package io.loomix.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The BEAM peer: loomix_bench.erl, shipped as a classpath resource, compiled
 * once per harness run into a temporary directory and run with erl's default
 * scheduler settings.
 */
final class BeamPeer implements Peer {
    private static final String SOURCE = "/erlang/loomix_bench.erl";
    private static final String MODULE = "loomix_bench";
    /** Above the default limit of 1,048,576 processes, for the workloads that hold a million. */
    static final String MANY_PROCESSES = "2000000";

    private final Path moduleDir;
    private final String problem;
    private final String version;

    private BeamPeer(Path moduleDir, String problem, String version) {
        this.moduleDir = moduleDir;
        this.problem = problem;
        this.version = version;
    }

    /** Finds erl and erlc and compiles the module; never throws, a problem makes the peer unavailable. */
    static BeamPeer prepare() {
        try {
            if (onPath("erl").isEmpty()) return unavailable("erl is not on the PATH");
            if (onPath("erlc").isEmpty()) return unavailable("erlc is not on the PATH");
            Path dir = Files.createTempDirectory("loomix-bench-beam");
            dir.toFile().deleteOnExit();
            Path source = dir.resolve(MODULE + ".erl");
            try (InputStream in = BeamPeer.class.getResourceAsStream(SOURCE)) {
                if (in == null) return unavailable(SOURCE + " is not on the classpath");
                Files.copy(in, source);
            }
            source.toFile().deleteOnExit();
            dir.resolve(MODULE + ".beam").toFile().deleteOnExit();
            String compiled = runQuietly(List.of("erlc", "-o", dir.toString(), source.toString()), dir);
            if (!Files.exists(dir.resolve(MODULE + ".beam"))) return unavailable("erlc failed: " + compiled);
            String version = runQuietly(List.of("erl", "-noshell", "-eval",
                    "io:format(\"OTP ~s, ERTS ~s\", [erlang:system_info(otp_release), erlang:system_info(version)]), halt()."), dir);
            return new BeamPeer(dir, null, version);
        } catch (IOException e) {
            return unavailable(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    private static BeamPeer unavailable(String problem) {
        return new BeamPeer(null, problem, "n/a (" + problem + ")");
    }

    @Override
    public String name() {
        return "beam";
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(problem);
    }

    /** OTP and ERTS versions, or why there are none. */
    String version() {
        return version;
    }

    @Override
    public ProcessBuilder command(Workload workload, int size) {
        var command = new ArrayList<>(List.of("erl", "-noshell", "-pa", moduleDir.toString()));
        boolean dist = workload.id().startsWith("dist_");
        if (dist) {
            // two nodes: this one is distributed, on an epmd of its own port (never 4369)
            command.addAll(List.of("-sname", "bench_a", "-setcookie", "loomixbench"));
        }
        if (workload.holdsManyProcesses()) command.addAll(List.of("+P", MANY_PROCESSES));
        command.addAll(List.of("-eval",
                MODULE + ":main([\"" + workload.id() + "\",\"" + size + "\"]), halt()."));
        var builder = new ProcessBuilder(command);
        // A crashing run writes erl_crash.dump; keep it out of the user's working directory.
        builder.environment().put("ERL_CRASH_DUMP", moduleDir.resolve("erl_crash.dump").toString());
        if (dist) {
            builder.environment().put("ERL_EPMD_PORT", Integer.toString(freePort()));
            // erl starts that epmd as a daemon; this lets the run kill it at its end (see dist_main)
            builder.environment().put("ERL_EPMD_RELAXED_COMMAND_CHECK", "1");
        }
        return builder;
    }

    private static int freePort() {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static String runQuietly(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        return new String(output, StandardCharsets.UTF_8).strip();
    }
}

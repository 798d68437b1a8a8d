package io.loomix.dist.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An external program a test runs (epmd, erl, elixir, a second JVM): its output lines arrive on a
 * queue the test waits on; {@link #close} kills it and its children, so no test leaves one behind.
 */
public final class Child implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final String label;

    private Child(Process process, String label) {
        this.process = process;
        this.label = label;
        Thread.ofPlatform().daemon().name("child-output-" + label).start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child died: EOF below
            }
            lines.add(EOF);
        });
    }

    public static Child start(Map<String, String> env, List<String> command) {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        // an erl killed at the end of a test must not leave erl_crash.dump in the module
        builder.environment().put("ERL_CRASH_DUMP_SECONDS", "0");
        builder.environment().putAll(env);
        try {
            return new Child(builder.start(), command.getFirst());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public static Child start(String... command) {
        return start(Map.of(), List.of(command));
    }

    /** Waits for a line matching {@code p}; fails with everything seen so far when it does not come. */
    public String await(Predicate<String> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null || line.equals(EOF)) {
                if (line != null) {
                    lines.add(EOF);
                }
                throw new AssertionError(label + ": no matching line within " + timeout
                        + (line == null ? "" : " (it exited)") + "; output so far:\n" + String.join("\n", seen));
            }
            seen.add(line);
            if (p.test(line)) {
                return line;
            }
        }
    }

    public String await(String contains) throws InterruptedException {
        return await(l -> l.contains(contains), Duration.ofSeconds(30));
    }

    /** Everything it prints until it exits, each line ended by a newline. */
    public String output(Duration timeout) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(label + " did not finish within " + timeout + "; printed:\n" + out);
            }
            if (line.equals(EOF)) {
                return out.toString();
            }
            out.append(line).append('\n');
        }
    }

    public void send(String input) {
        try {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the child to exit by itself; its exit code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(label + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port that was free a moment ago (never 4369). */
    public static int freePort() {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real epmd on a private port, in the foreground, ready when this returns. */
    public static Child epmd(int port) throws InterruptedException {
        Child c = start("epmd", "-d", "-port", Integer.toString(port));
        try {
            c.await(l -> l.contains("epmd running"), Duration.ofSeconds(10));
            // epmd prints that line before it listens, and says nothing after: try until it answers
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try (var probe = new java.net.Socket("127.0.0.1", port)) {
                    return c;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("epmd on port " + port + " does not accept connections", e);
                    }
                    Thread.onSpinWait();
                }
            }
        } catch (AssertionError | InterruptedException e) {
            c.close();
            throw e;
        }
    }
}

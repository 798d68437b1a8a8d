package io.loomix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Port#open} runs a program and frames its output: Erlang's {@code open_port} options.
 * Immutable; start from {@link #DEFAULT} and chain the withers:
 * {@snippet :
 * PortOptions.DEFAULT.line(80).exitStatus()   // [{line, 80}, exit_status]
 * }
 *
 * @param framing        how the program's stdout is cut into {@link PortData} messages (and, for
 *                       packets, how data sent to it is prefixed)
 * @param reportExitStatus whether the owner receives {@link PortExit} when the program exits
 * @param mergeStderr    whether the program's stderr is merged into its stdout (otherwise it goes
 *                       to this JVM's stderr, as Erlang's goes to the emulator's)
 * @param maxQueueLen    backpressure: the port stops reading the program's stdout while its owner
 *                       has this many messages or more waiting, so a fast program is slowed to its
 *                       owner's pace (the pipe fills and the program blocks) instead of flooding
 *                       the owner's mailbox. Erlang has no such bound.
 * @param maxPendingWrites how many writes may wait for the program to read its stdin; a sender
 *                       past that blocks until it reads (Erlang's busy port)
 * @param directory      the program's working directory, or null for this JVM's
 * @param env            variables set for the program on top of this JVM's environment
 * @param killGrace      after the port closes, how long the program has to exit after SIGTERM
 *                       before it is sent SIGKILL
 */
public record PortOptions(Framing framing, boolean reportExitStatus, boolean mergeStderr, int maxQueueLen,
                          int maxPendingWrites, Path directory, Map<String, String> env, Duration killGrace) {

    /** Stream framing, no exit status, stderr inherited, at most 1,000 messages queued at the owner. */
    public static final PortOptions DEFAULT = new PortOptions(new Stream(), false, false, 1_000, 64, null, Map.of(),
            Duration.ofSeconds(1));

    /** How the bytes the program writes become messages. */
    public sealed interface Framing permits Stream, Line, Packet {}

    /** Erlang's default ({@code stream}): each read of the pipe becomes one message, cut where the read fell. */
    public record Stream() implements Framing {}

    /**
     * Erlang's {@code {line, N}}: one message per line, without its newline; a line longer than
     * {@code max} bytes arrives in pieces of {@code max} marked {@link PortData#partial()}, as does
     * a last line without a newline.
     */
    public record Line(int max) implements Framing {
        public Line {
            if (max < 1) {
                throw new IllegalArgumentException("badarg: {line, N} needs N >= 1, was " + max);
            }
        }
    }

    /**
     * Erlang's {@code {packet, N}}: every message either way is preceded by its length as an
     * N-byte big-endian number; the port strips it from what the program writes and adds it to
     * what is sent to the program.
     */
    public record Packet(int headerBytes) implements Framing {
        public Packet {
            if (headerBytes != 1 && headerBytes != 2 && headerBytes != 4) {
                throw new IllegalArgumentException("badarg: {packet, N} needs N = 1, 2 or 4, was " + headerBytes);
            }
        }
    }

    public PortOptions {
        Objects.requireNonNull(framing, "framing must not be null: use new PortOptions.Stream()");
        Objects.requireNonNull(killGrace, "killGrace must not be null");
        env = Map.copyOf(Objects.requireNonNull(env, "env must not be null: use Map.of()"));
        if (maxQueueLen < 1) {
            throw new IllegalArgumentException("maxQueueLen must be at least 1, was " + maxQueueLen);
        }
        if (maxPendingWrites < 1) {
            throw new IllegalArgumentException("maxPendingWrites must be at least 1, was " + maxPendingWrites);
        }
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("killGrace must not be negative, was " + killGrace);
        }
    }

    /** {@code {line, max}}. */
    public PortOptions line(int max) {
        return withFraming(new Line(max));
    }

    /** {@code {packet, headerBytes}}. */
    public PortOptions packet(int headerBytes) {
        return withFraming(new Packet(headerBytes));
    }

    /** {@code stream}, the default. */
    public PortOptions stream() {
        return withFraming(new Stream());
    }

    public PortOptions withFraming(Framing f) {
        return new PortOptions(f, reportExitStatus, mergeStderr, maxQueueLen, maxPendingWrites, directory, env, killGrace);
    }

    /** {@code exit_status}. */
    public PortOptions exitStatus() {
        return new PortOptions(framing, true, mergeStderr, maxQueueLen, maxPendingWrites, directory, env, killGrace);
    }

    /** {@code stderr_to_stdout}. */
    public PortOptions stderrToStdout() {
        return new PortOptions(framing, reportExitStatus, true, maxQueueLen, maxPendingWrites, directory, env, killGrace);
    }

    public PortOptions maxQueueLen(int n) {
        return new PortOptions(framing, reportExitStatus, mergeStderr, n, maxPendingWrites, directory, env, killGrace);
    }

    public PortOptions maxPendingWrites(int n) {
        return new PortOptions(framing, reportExitStatus, mergeStderr, maxQueueLen, n, directory, env, killGrace);
    }

    /** {@code {cd, Dir}}. */
    public PortOptions directory(Path dir) {
        return new PortOptions(framing, reportExitStatus, mergeStderr, maxQueueLen, maxPendingWrites, dir, env, killGrace);
    }

    /** {@code {env, Env}}: variables set for the program on top of this JVM's environment. */
    public PortOptions env(Map<String, String> vars) {
        return new PortOptions(framing, reportExitStatus, mergeStderr, maxQueueLen, maxPendingWrites, directory, vars, killGrace);
    }

    public PortOptions killGrace(Duration d) {
        return new PortOptions(framing, reportExitStatus, mergeStderr, maxQueueLen, maxPendingWrites, directory, env, d);
    }
}

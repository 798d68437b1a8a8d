package io.loomix;

import java.util.Objects;

/**
 * Why a process exited, or the reason an exit signal carries: Erlang's exit reasons as a closed set.
 *
 * <p>{@link #NORMAL}, {@link #SHUTDOWN} and {@link Shutdown shutdown with detail} end a process
 * quietly; every other reason is abnormal: it kills linked processes that do not trap exits.
 * {@link #KILL} is a signal only: a process killed by it exits with {@link #KILLED}, which its links
 * and monitors see. Any other term a program exits with is kept as a {@link Term}.
 *
 * {@snippet :
 * switch (down.reason()) {
 *     case ExitReason r when r.isNormal() -> log("finished");
 *     case ExitReason.Crash(Throwable error) -> log("crashed: " + error);
 *     case ExitReason r -> log("exited: " + r);
 * }
 * }
 */
public sealed interface ExitReason {

    /** The process's function returned. Does not kill linked processes. */
    ExitReason NORMAL = Named.NORMAL;
    /** Asked to stop by its supervisor or owner. Quiet: no crash report. */
    ExitReason SHUTDOWN = Named.SHUTDOWN;
    /** The untrappable signal sent by {@code exit(pid, KILL)}. */
    ExitReason KILL = Named.KILL;
    /** The reason of a process that was killed with {@link #KILL}. */
    ExitReason KILLED = Named.KILLED;
    /** The target process did not exist (linking to or monitoring a dead process). */
    ExitReason NOPROC = Named.NOPROC;
    /** The connection to the target's node was lost. */
    ExitReason NOCONNECTION = Named.NOCONNECTION;

    /** {@code true} for reasons that end a process without harming linked processes. */
    default boolean isNormal() {
        return this == NORMAL || this == SHUTDOWN || this instanceof Shutdown;
    }

    /** The reasons Erlang names with a bare atom. */
    enum Named implements ExitReason {
        NORMAL, SHUTDOWN, KILL, KILLED, NOPROC, NOCONNECTION;

        public Atom atom() {
            return Atom.of(name().toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public String toString() {
            return atom().toString();
        }
    }

    /** Erlang's {@code {shutdown, Detail}}: a quiet stop that carries a detail. */
    record Shutdown(Object detail) implements ExitReason {
        public Shutdown {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return "{shutdown," + detail + "}";
        }
    }

    /** The process's function threw: the exception is the reason (Erlang's {@code {Error, Stack}}). */
    record Crash(Throwable error) implements ExitReason {
        public Crash {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String toString() {
            return "{" + error + "," + (error.getStackTrace().length > 0 ? error.getStackTrace()[0] : "[]") + "}";
        }
    }

    /** Any other reason a program gave to {@code exit}, e.g. an atom or a record. */
    record Term(Object value) implements ExitReason {
        public Term {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }

    /**
     * The reason for a term, in its one canonical form: the atom {@code normal} or the string
     * {@code "normal"} is {@link #NORMAL} (likewise for the other {@link Named} reasons), a
     * throwable is a {@link Crash}, an {@code ExitReason} is itself, and anything else is a
     * {@link Term}, strings included: {@code exit("no such user")} has the reason
     * {@code Term("no such user")}, a string of any length, as Erlang keeps a list.
     */
    static ExitReason of(Object term) {
        Objects.requireNonNull(term, "exit reason must not be null: use ExitReason.NORMAL for a normal exit");
        return switch (term) {
            case ExitReason r -> r;
            case Throwable t -> new Crash(t);
            case Atom a -> named(a.name(), term);
            case String s -> named(s, term);
            default -> new Term(term);
        };
    }

    private static ExitReason named(String name, Object term) {
        return switch (name) {
            case "normal" -> NORMAL;
            case "shutdown" -> SHUTDOWN;
            case "kill" -> KILL;
            case "killed" -> KILLED;
            case "noproc" -> NOPROC;
            case "noconnection" -> NOCONNECTION;
            // A string stays a string: an atom made from it would be kept forever and fail past 255 characters.
            default -> new Term(term);
        };
    }
}

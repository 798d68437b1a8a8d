package io.loomix.otp;

import io.loomix.Pid;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a supervisor starts, restarts and stops one child: OTP's child specification, as a value.
 *
 * {@snippet :
 * ChildSpec counter = ChildSpec.worker("counter", () -> GenServer.startLink(new Counter()));
 * ChildSpec cache = ChildSpec.worker("cache", () -> GenServer.startLink(new Cache()))
 *         .withRestart(ChildSpec.Restart.TRANSIENT)
 *         .withShutdown(ChildSpec.Shutdown.timeout(Duration.ofSeconds(1)));
 * }
 *
 * @param id       names the child within its supervisor; an immutable value
 * @param start    runs in the supervisor and returns the new child, linked to the caller (a
 *                 {@code startLink}); throwing {@link StartException} with
 *                 {@link StartException#IGNORE} means "nothing to start"
 * @param restart  when the child is restarted
 * @param shutdown how it is stopped
 * @param type     a worker or a supervisor
 * @param significant whether its own exit counts towards its supervisor's
 *                 {@link SupervisorSpec.AutoShutdown} (OTP's {@code significant}); only a
 *                 transient or temporary child can be significant
 */
public record ChildSpec(Object id, Supplier<Pid> start, Restart restart, Shutdown shutdown, Type type,
                        boolean significant) {

    public ChildSpec {
        Objects.requireNonNull(id, "child id must not be null");
        Objects.requireNonNull(start, "child start function must not be null");
        Objects.requireNonNull(restart, "restart must not be null");
        Objects.requireNonNull(shutdown, "shutdown must not be null");
        Objects.requireNonNull(type, "type must not be null");
        if (significant && restart == Restart.PERMANENT) {
            throw new IllegalArgumentException("child " + id + ": a permanent child cannot be significant"
                    + " (OTP's bad_combination); make it transient or temporary");
        }
    }

    /** A child that is not significant. */
    public ChildSpec(Object id, Supplier<Pid> start, Restart restart, Shutdown shutdown, Type type) {
        this(id, start, restart, shutdown, type, false);
    }

    /**
     * A start function that takes a {@link DynamicSupervisor}'s extra arguments (Elixir's
     * {@code extra_arguments}), prepended to what it captured itself; elsewhere it gets none.
     */
    @FunctionalInterface
    public interface StartWith extends Supplier<Pid> {
        Pid start(java.util.List<Object> extraArguments);

        @Override
        default Pid get() {
            return start(java.util.List.of());
        }
    }

    /** What a start function that returns extra information started: OTP's {@code {ok, Pid, Info}}. */
    public record Started(Pid pid, Object info) {
        public Started {
            Objects.requireNonNull(pid, "a start function's Started needs the pid of the started process");
        }
    }

    /**
     * A start function that returns the new process with some information for the caller of
     * {@code startChild}, OTP's {@code {ok, Pid, Info}}: read it with
     * {@link Supervisor#startChildWithInfo} or {@link DynamicSupervisor#startChildWithInfo}.
     */
    @FunctionalInterface
    public interface StartWithInfo extends Supplier<Pid> {
        Started startWithInfo();

        @Override
        default Pid get() {
            return startWithInfo().pid();
        }
    }

    /** A permanent worker whose start also returns information, see {@link StartWithInfo}. */
    public static ChildSpec workerWithInfo(Object id, StartWithInfo start) {
        return worker(id, (Supplier<Pid>) start);
    }

    /** A permanent worker started by {@code start} with its dynamic supervisor's extra arguments. */
    public static ChildSpec worker(Object id, StartWith start) {
        return worker(id, (Supplier<Pid>) start);
    }

    /** A permanent worker, given 5 s to shut down (OTP's defaults). */
    public static ChildSpec worker(Object id, Supplier<Pid> start) {
        return new ChildSpec(id, start, Restart.PERMANENT, Shutdown.timeout(Duration.ofSeconds(5)), Type.WORKER);
    }

    /** A permanent supervisor child, given all the time it needs to shut its own tree down. */
    public static ChildSpec supervisor(Object id, Supplier<Pid> start) {
        return new ChildSpec(id, start, Restart.PERMANENT, Shutdown.INFINITY, Type.SUPERVISOR);
    }

    public ChildSpec withRestart(Restart restart) {
        return new ChildSpec(id, start, restart, shutdown, type, significant);
    }

    public ChildSpec withShutdown(Shutdown shutdown) {
        return new ChildSpec(id, start, restart, shutdown, type, significant);
    }

    /** The same child started by {@code newStart}. */
    public ChildSpec withStart(Supplier<Pid> newStart) {
        return new ChildSpec(id, newStart, restart, shutdown, type, significant);
    }

    /** Marks the child significant for its supervisor's {@link SupervisorSpec.AutoShutdown}. */
    public ChildSpec withSignificant(boolean on) {
        return new ChildSpec(id, start, restart, shutdown, type, on);
    }

    /** The same child under another id, as Elixir's {@code Supervisor.child_spec(spec, id: ...)}. */
    public ChildSpec withId(Object newId) {
        return new ChildSpec(newId, start, restart, shutdown, type, significant);
    }

    /** When a child that exited is restarted. */
    public enum Restart {
        /** Always. */
        PERMANENT,
        /** Only after an abnormal exit: not after {@code normal}, {@code shutdown} or {@code {shutdown, _}}. */
        TRANSIENT,
        /** Never; its spec is removed once it exits. */
        TEMPORARY;

        /** Whether a child with this restart type is restarted after exiting with {@code reason}. */
        public boolean restarts(io.loomix.ExitReason reason) {
            return switch (this) {
                case PERMANENT -> true;
                case TRANSIENT -> !reason.isNormal();
                case TEMPORARY -> false;
            };
        }
    }

    public enum Type { WORKER, SUPERVISOR }

    /**
     * How the supervisor stops a child: it sends exit signal {@code shutdown} and waits for the
     * child to exit, up to a timeout after which it kills it, or forever; or it kills it at once.
     */
    public sealed interface Shutdown {
        /** Kill at once ({@code brutal_kill}): the child cannot clean up. */
        Shutdown BRUTAL_KILL = new BrutalKill();
        /** Wait as long as it takes: for supervisors, which stop their own children first. */
        Shutdown INFINITY = new Infinity();

        static Shutdown timeout(Duration timeout) {
            return new Timeout(timeout);
        }

        record BrutalKill() implements Shutdown {
            @Override
            public String toString() {
                return "brutal_kill";
            }
        }

        record Infinity() implements Shutdown {
            @Override
            public String toString() {
                return "infinity";
            }
        }

        record Timeout(Duration timeout) implements Shutdown {
            public Timeout {
                Objects.requireNonNull(timeout, "timeout");
                if (timeout.isNegative()) {
                    throw new IllegalArgumentException("a shutdown timeout must be >= 0, was " + timeout);
                }
            }

            @Override
            public String toString() {
                return String.valueOf(timeout.toMillis());
            }
        }
    }

    /** As OTP prints a child spec, without the start function's class name. */
    @Override
    public String toString() {
        return "#{id => " + id + ", start => #Function, restart => " + restart.name().toLowerCase(java.util.Locale.ROOT)
                + ", shutdown => " + shutdown + ", type => " + type.name().toLowerCase(java.util.Locale.ROOT) + "}";
    }
}

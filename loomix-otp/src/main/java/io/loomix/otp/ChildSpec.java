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
 */
public record ChildSpec(Object id, Supplier<Pid> start, Restart restart, Shutdown shutdown, Type type) {

    public ChildSpec {
        Objects.requireNonNull(id, "child id must not be null");
        Objects.requireNonNull(start, "child start function must not be null");
        Objects.requireNonNull(restart, "restart must not be null");
        Objects.requireNonNull(shutdown, "shutdown must not be null");
        Objects.requireNonNull(type, "type must not be null");
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
        return new ChildSpec(id, start, restart, shutdown, type);
    }

    public ChildSpec withShutdown(Shutdown shutdown) {
        return new ChildSpec(id, start, restart, shutdown, type);
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

        record BrutalKill() implements Shutdown {}

        record Infinity() implements Shutdown {}

        record Timeout(Duration timeout) implements Shutdown {
            public Timeout {
                Objects.requireNonNull(timeout, "timeout");
                if (timeout.isNegative()) {
                    throw new IllegalArgumentException("a shutdown timeout must be >= 0, was " + timeout);
                }
            }
        }
    }
}

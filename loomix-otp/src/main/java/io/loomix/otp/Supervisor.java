package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Erlang's {@code supervisor}: a process that starts children, restarts them when they exit as
 * their {@link ChildSpec} and the {@link Strategy} say, and stops them in reverse order when it
 * stops.
 *
 * {@snippet :
 * Pid sup = Supervisor.startLink(List.of(
 *         ChildSpec.worker("counter", () -> GenServer.startLink(new Counter())),
 *         ChildSpec.worker("search", () -> GenServer.startLink(new SearchServer(), "search"))
 * ), Strategy.ONE_FOR_ONE);
 * }
 *
 * <p>Children start in order, each start returning before the next begins; if one fails the ones
 * started are stopped and {@code startLink} throws {@link StartException} with reason
 * {@code {shutdown, {failed_to_start_child, Id, Reason}}}. More restarts than the intensity allows
 * (default 3 in 5 s) and the supervisor stops all children and exits with {@code shutdown}.
 * A supervisor traps exits; its state is mutable, so {@link Sys#getState} fails in strict mode.
 */
public final class Supervisor {
    private Supervisor() {}

    /**
     * A child, as {@link #whichChildren} lists it; {@code pid} is empty while it is not running.
     * {@code restarting}: its restart failed and is being retried (OTP lists {@code restarting}
     * for its pid).
     */
    public record ChildInfo(Object id, Optional<Pid> pid, ChildSpec.Type type, ChildSpec.Restart restart,
                            boolean restarting) {}

    /** Erlang's {@code count_children}: specs, running children, and specs by type. */
    public record ChildCount(int specs, int active, int supervisors, int workers) {}

    /** Starts a supervisor of {@code children} with {@code strategy} and the default intensity, linked to the caller. */
    public static Pid startLink(List<ChildSpec> children, Strategy strategy) {
        return startLink(SupervisorSpec.of(strategy, children));
    }

    public static Pid startLink(SupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return GenServer.startLink(new SupervisorServer(() -> Init.ok(spec)));
    }

    /** Starts a supervisor registered as {@code name} (as {@link GenServer#start(GenServer, Object)}). */
    public static Pid startLink(SupervisorSpec spec, Object name) {
        Objects.requireNonNull(spec, "spec");
        return GenServer.startLink(new SupervisorServer(() -> Init.ok(spec)), name);
    }

    /**
     * A module-style supervisor, Elixir's {@code use Supervisor}: its {@link #init} runs in the new
     * supervisor process and returns the spec, so the children can depend on what exists at start.
     *
     * {@snippet :
     * class App extends Supervisor.Module {
     *     protected Init<SupervisorSpec> init() {
     *         return Init.ok(SupervisorSpec.of(Strategy.ONE_FOR_ONE, List.of(
     *                 Agent.childSpec("cache", () -> Map.of()),
     *                 new Counter().childSpec())));
     *     }
     * }
     * Pid app = Supervisor.startLink(new App(), "app");
     * }
     */
    public abstract static class Module {
        protected Module() {}

        /**
         * Returns {@code Init.ok(spec)}, {@link Init#ignore()} (nothing is started) or
         * {@code Init.stop(reason)} (the start fails with it).
         */
        protected abstract Init<SupervisorSpec> init();

        /** How this supervisor is supervised: a permanent supervisor child with the class name as id. */
        public ChildSpec childSpec() {
            return ChildSpec.supervisor(getClass().getName(), () -> startLink(this));
        }
    }

    /** Starts the module-style supervisor {@code module}, linked to the caller. */
    public static Pid startLink(Module module) {
        Objects.requireNonNull(module, "module");
        return GenServer.startLink(new SupervisorServer(module::init));
    }

    /** {@link #startLink(Module)} registered as {@code name}. */
    public static Pid startLink(Module module, Object name) {
        Objects.requireNonNull(module, "module");
        return GenServer.startLink(new SupervisorServer(module::init), name);
    }

    /** A child spec that runs a supervisor of {@code spec} under another supervisor. */
    public static ChildSpec childSpec(Object id, SupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return ChildSpec.supervisor(id, () -> startLink(spec));
    }

    /** The child with id {@code id}, as {@link #whichChildren} lists it (OTP 27's {@code which_child}). */
    public static Optional<ChildInfo> whichChild(Object supervisor, Object id) {
        return call(supervisor, new SupervisorServer.WhichChild(id));
    }

    /** The spec of child {@code id}, OTP's {@code get_childspec}; empty for {@code not_found}. */
    public static Optional<ChildSpec> getChildspec(Object supervisor, Object id) {
        return call(supervisor, new SupervisorServer.GetChildspec(id));
    }

    /**
     * Adds a child and starts it; returns its pid.
     *
     * @throws StartException with the start's failure or {@link StartException#IGNORE};
     *                        {@code already_present} if a stopped child has that id;
     *                        {@link StartException.AlreadyStarted} if a running one does
     */
    public static Pid startChild(Object supervisor, ChildSpec spec) {
        return started(call(supervisor, new SupervisorServer.StartChild(Objects.requireNonNull(spec, "spec"))));
    }

    /**
     * {@link #startChild}, returning also what a {@link ChildSpec.StartWithInfo} start function
     * returned with the pid (OTP's {@code {ok, Pid, Info}}); {@code info} is null for other starts.
     */
    public static ChildSpec.Started startChildWithInfo(Object supervisor, ChildSpec spec) {
        return startedWithInfo(call(supervisor, new SupervisorServer.StartChild(Objects.requireNonNull(spec, "spec"))));
    }

    /**
     * Stops a child and keeps its spec (a temporary child's is removed); false if there is no such
     * child. A child whose restart is being retried stops being retried.
     */
    public static boolean terminateChild(Object supervisor, Object id) {
        return call(supervisor, new SupervisorServer.TerminateChild(id));
    }

    /**
     * Starts a stopped child again; returns its pid.
     *
     * @throws StartException with {@code running}, {@code restarting}, {@code not_found} or the start's failure
     */
    public static Pid restartChild(Object supervisor, Object id) {
        return started(call(supervisor, new SupervisorServer.RestartChild(id)));
    }

    /**
     * Removes a stopped child's spec; false if there is no such child.
     *
     * @throws StartException with {@code running} or {@code restarting}: terminate it first
     */
    public static boolean deleteChild(Object supervisor, Object id) {
        Object answer = call(supervisor, new SupervisorServer.DeleteChild(id));
        if (answer instanceof SupervisorServer.Refused(ExitReason reason)) {
            throw new StartException(reason);
        }
        return (Boolean) answer;
    }

    /** The children, most recently started first (as OTP lists them). */
    public static List<ChildInfo> whichChildren(Object supervisor) {
        return call(supervisor, new SupervisorServer.WhichChildren());
    }

    /** {@link #whichChildren(Object)} waiting at most {@code timeout} (OTP waits forever). */
    public static List<ChildInfo> whichChildren(Object supervisor, java.time.Duration timeout) {
        return GenServer.call(supervisor, new SupervisorServer.WhichChildren(), timeout);
    }

    public static ChildCount countChildren(Object supervisor) {
        return call(supervisor, new SupervisorServer.CountChildren());
    }

    private static <R> R call(Object supervisor, Object request) {
        return GenServer.call(supervisor, request, GenServer.INFINITY);
    }

    static Pid started(Object answer) {
        return startedWithInfo(answer).pid();
    }

    static ChildSpec.Started startedWithInfo(Object answer) {
        return switch ((SupervisorServer.Answer) answer) {
            case SupervisorServer.Ok(Pid pid, Object info) -> new ChildSpec.Started(pid, info);
            case SupervisorServer.Refused(ExitReason reason) -> throw new StartException(reason);
        };
    }
}

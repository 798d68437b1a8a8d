package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.loomix.Process.*;

/**
 * Elixir's {@code DynamicSupervisor}: starts with no children and supervises the ones added
 * with {@link #startChild}, one for one, each restarted as its {@link ChildSpec} says. Children
 * are known by pid (their ids are not used); when it stops, it stops them in reverse start order.
 *
 * {@snippet :
 * Pid rooms = DynamicSupervisor.startLink(DynamicSupervisor.Options.DEFAULT.withMaxChildren(1000));
 * Pid room = DynamicSupervisor.startChild(rooms, ChildSpec.worker("room", () -> GenServer.startLink(new Room())));
 * }
 */
public final class DynamicSupervisor {
    private DynamicSupervisor() {}

    /**
     * Limits: how many children at most, and the restart intensity (default: unlimited, 3 in 5 s);
     * and Elixir's {@code extra_arguments}, given to every child whose start is a
     * {@link ChildSpec.StartWith}.
     */
    public record Options(int maxChildren, int maxRestarts, Duration period, List<Object> extraArguments) {
        public static final Options DEFAULT = new Options(Integer.MAX_VALUE, 3, Duration.ofSeconds(5), List.of());

        public Options {
            Objects.requireNonNull(period, "period");
            if (maxChildren < 0 || maxRestarts < 0 || !period.isPositive()) {
                throw new IllegalArgumentException("need maxChildren >= 0, maxRestarts >= 0 and a positive period, got "
                        + maxChildren + ", " + maxRestarts + ", " + period);
            }
            extraArguments = List.copyOf(extraArguments);
        }

        public Options(int maxChildren, int maxRestarts, Duration period) {
            this(maxChildren, maxRestarts, period, List.of());
        }

        public Options withMaxChildren(int max) {
            return new Options(max, maxRestarts, period, extraArguments);
        }

        public Options withIntensity(int max, Duration within) {
            return new Options(maxChildren, max, within, extraArguments);
        }

        public Options withExtraArguments(List<Object> extra) {
            return new Options(maxChildren, maxRestarts, period, extra);
        }
    }

    /**
     * A module-style dynamic supervisor, Elixir's {@code use DynamicSupervisor}: its {@link #init}
     * runs in the new supervisor process and returns its options.
     */
    public abstract static class Module {
        protected Module() {}

        /** Returns {@code Init.ok(options)}, {@link Init#ignore()} or {@code Init.stop(reason)}. */
        protected abstract Init<Options> init();

        /** How this supervisor is supervised: a permanent supervisor child with the class name as id. */
        public ChildSpec childSpec() {
            return ChildSpec.supervisor(getClass().getName(), () -> startLink(this));
        }
    }

    /** Starts the module-style dynamic supervisor {@code module}, linked to the caller. */
    public static Pid startLink(Module module) {
        Objects.requireNonNull(module, "module");
        return GenServer.startLink(new Server(module::init));
    }

    /** {@link #startLink(Module)} registered as {@code name}. */
    public static Pid startLink(Module module, Object name) {
        Objects.requireNonNull(module, "module");
        return GenServer.startLink(new Server(module::init), name);
    }

    public static Pid startLink() {
        return startLink(Options.DEFAULT);
    }

    public static Pid startLink(Options options) {
        Objects.requireNonNull(options, "options");
        return GenServer.startLink(new Server(() -> Init.ok(options)));
    }

    public static Pid startLink(Options options, Object name) {
        Objects.requireNonNull(options, "options");
        return GenServer.startLink(new Server(() -> Init.ok(options)), name);
    }

    /**
     * Starts a child; returns its pid.
     *
     * @throws StartException if it failed or ignored, or with {@code max_children} when full
     */
    public static Pid startChild(Object supervisor, ChildSpec spec) {
        return Supervisor.started(GenServer.call(supervisor, new SupervisorServer.StartChild(Objects.requireNonNull(spec,
                "spec")), GenServer.INFINITY));
    }

    /** {@link #startChild}, returning also what a {@link ChildSpec.StartWithInfo} start function returned. */
    public static ChildSpec.Started startChildWithInfo(Object supervisor, ChildSpec spec) {
        return Supervisor.startedWithInfo(GenServer.call(supervisor, new SupervisorServer.StartChild(
                Objects.requireNonNull(spec, "spec")), GenServer.INFINITY));
    }

    /**
     * Stops a child and forgets it; false if {@code pid} is not a child. A child whose restart is
     * being retried is known by its last pid: terminating it ends the retries.
     */
    public static boolean terminateChild(Object supervisor, Pid pid) {
        return GenServer.call(supervisor, new SupervisorServer.TerminateChild(pid), GenServer.INFINITY);
    }

    /**
     * The children, most recently started first (as {@link Supervisor#whichChildren}); their ids
     * are {@code undefined}, as in Elixir. A child whose restart is being retried is listed with
     * {@code restarting} and no pid.
     */
    public static List<Supervisor.ChildInfo> whichChildren(Object supervisor) {
        return GenServer.call(supervisor, new SupervisorServer.WhichChildren(), GenServer.INFINITY);
    }

    public static Supervisor.ChildCount countChildren(Object supervisor) {
        return GenServer.call(supervisor, new SupervisorServer.CountChildren(), GenServer.INFINITY);
    }

    static final Atom UNDEFINED = Atom.of("undefined");

    /**
     * The supervisor process; its state is its children by pid, in start order. A child whose
     * restart failed stays under its last pid, marked restarting, until a retry starts it (then it
     * is keyed by its new pid) or it is terminated: like Elixir, it is counted, listed and held
     * against {@code maxChildren} meanwhile.
     */
    static final class Server extends GenServer<Server.State> {
        record Child(ChildSpec spec, boolean restarting) {}

        static final class State {
            final LinkedHashMap<Pid, Child> children = new LinkedHashMap<>();
            final RestartIntensity intensity;

            State(RestartIntensity intensity) {
                this.intensity = intensity;
            }
        }

        private final java.util.function.Supplier<Init<Options>> module;
        private Options options;

        Server(java.util.function.Supplier<Init<Options>> module) {
            this.module = module;
        }

        @Override
        protected Init<State> init() {
            trapExit(true);
            switch (module.get()) {
                case Init.Ok<Options>(Options o, Next n) -> options = Objects.requireNonNull(o,
                        "a dynamic supervisor's init returned ok(null); return Init.ok(options)");
                case Init.Ignore<Options> i -> {
                    return Init.ignore();
                }
                case Init.Stop<Options>(ExitReason reason) -> {
                    return new Init.Stop<>(reason);
                }
                case null -> {
                    return new Init.Stop<>(ExitReason.of(new BadReturnValue("init", null)));
                }
            }
            return ok(new State(new RestartIntensity(options.maxRestarts(), options.period())));
        }

        private ChildSpec.Started startFunction(ChildSpec spec) {
            if (spec.start() instanceof ChildSpec.StartWith with && !options.extraArguments().isEmpty()) {
                return SupervisorServer.startFunction(spec.withStart(() -> with.start(options.extraArguments())), UNDEFINED);
            }
            return SupervisorServer.startFunction(spec, UNDEFINED);
        }

        @Override
        protected CallResult<State> handleCall(Object request, From from, State s) {
            return switch (request) {
                case SupervisorServer.StartChild(ChildSpec spec) -> {
                    if (s.children.size() >= options.maxChildren()) {
                        yield reply(new SupervisorServer.Refused(ExitReason.of(Atom.of("max_children"))), s);
                    }
                    try {
                        ChildSpec.Started started = startFunction(spec);
                        if (started == null) {
                            yield reply(new SupervisorServer.Refused(StartException.IGNORE), s);
                        }
                        link(started.pid());
                        s.children.put(started.pid(), new Child(spec, false));
                        yield reply(new SupervisorServer.Ok(started.pid(), started.info()), s);
                    } catch (StartException e) {
                        yield reply(new SupervisorServer.Refused(e.reason()), s);
                    }
                }
                case SupervisorServer.TerminateChild(Object pid) -> {
                    Child child = s.children.remove(pid);
                    if (child != null && !child.restarting()) {
                        Shutdowns.stop((Pid) pid, child.spec().shutdown());
                    }
                    yield reply(child != null, s);
                }
                case SupervisorServer.WhichChildren w -> {
                    List<Supervisor.ChildInfo> out = new ArrayList<>();
                    s.children.sequencedEntrySet().reversed().forEach(e -> out.add(new Supervisor.ChildInfo(UNDEFINED,
                            e.getValue().restarting() ? Optional.empty() : Optional.of(e.getKey()),
                            e.getValue().spec().type(), e.getValue().spec().restart(), e.getValue().restarting())));
                    yield reply(List.copyOf(out), s);
                }
                case SupervisorServer.CountChildren c -> {
                    int supervisors = 0;
                    int active = 0;
                    for (Child child : s.children.values()) {
                        supervisors += child.spec().type() == ChildSpec.Type.SUPERVISOR ? 1 : 0;
                        active += child.restarting() ? 0 : 1;
                    }
                    int n = s.children.size();
                    yield reply(new Supervisor.ChildCount(n, active, supervisors, n - supervisors), s);
                }
                default -> throw new IllegalArgumentException("unknown dynamic supervisor request " + request);
            };
        }

        @Override
        protected Result<State> handleInfo(Object message, State s) {
            return switch (message) {
                case Exit(Pid pid, ExitReason reason) when s.children.containsKey(pid)
                        && !s.children.get(pid).restarting() -> {
                    Child child = s.children.get(pid);
                    if (!child.spec().restart().restarts(reason)) {
                        s.children.remove(pid);
                        yield noReply(s);
                    }
                    yield restart(s, pid, child.spec());
                }
                case SupervisorServer.TryAgain(Object pid, ExitReason reason) -> {
                    Child child = s.children.get(pid);
                    // Stale if the child was terminated meanwhile: its retries end with it.
                    yield child != null && child.restarting() ? restart(s, (Pid) pid, child.spec()) : noReply(s);
                }
                case Exit e -> noReply(s); // a child whose start failed, or one already stopped
                default -> super.handleInfo(message, s);
            };
        }

        /** Restarts the child last known as {@code old}; a failed start is retried from the mailbox. */
        private Result<State> restart(State s, Pid old, ChildSpec spec) {
            if (!s.intensity.add(System.nanoTime())) {
                return stop(ExitReason.SHUTDOWN, s);
            }
            Pid pid;
            try {
                ChildSpec.Started started = startFunction(spec);
                pid = started == null ? null : started.pid();
            } catch (StartException e) {
                s.children.put(old, new Child(spec, true));
                send(self(), new SupervisorServer.TryAgain(old, e.reason()));
                return noReply(s);
            }
            s.children.remove(old);
            if (pid != null) { // a restart that ignores removes the child, as Elixir does
                link(pid);
                s.children.put(pid, new Child(spec, false));
            }
            return noReply(s);
        }

        @Override
        protected void terminate(ExitReason reason, State s) {
            List<Map.Entry<Pid, Child>> all = new ArrayList<>(s.children.entrySet());
            for (int i = all.size() - 1; i >= 0; i--) {
                if (!all.get(i).getValue().restarting()) {
                    Shutdowns.stop(all.get(i).getKey(), all.get(i).getValue().spec().shutdown());
                }
            }
            s.children.clear();
        }

        @Override
        protected String formatState(State s) {
            return s.children.size() + " children";
        }
    }
}

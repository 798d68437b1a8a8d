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

    /** Limits: how many children at most, and the restart intensity (default: unlimited, 3 in 5 s). */
    public record Options(int maxChildren, int maxRestarts, Duration period) {
        public static final Options DEFAULT = new Options(Integer.MAX_VALUE, 3, Duration.ofSeconds(5));

        public Options {
            Objects.requireNonNull(period, "period");
            if (maxChildren < 0 || maxRestarts < 0 || !period.isPositive()) {
                throw new IllegalArgumentException("need maxChildren >= 0, maxRestarts >= 0 and a positive period, got "
                        + maxChildren + ", " + maxRestarts + ", " + period);
            }
        }

        public Options withMaxChildren(int max) {
            return new Options(max, maxRestarts, period);
        }

        public Options withIntensity(int max, Duration within) {
            return new Options(maxChildren, max, within);
        }
    }

    public static Pid startLink() {
        return startLink(Options.DEFAULT);
    }

    public static Pid startLink(Options options) {
        return GenServer.startLink(new Server(options));
    }

    public static Pid startLink(Options options, Object name) {
        return GenServer.startLink(new Server(options), name);
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

        private final Options options;

        Server(Options options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        @Override
        protected Init<State> init() {
            trapExit(true);
            return ok(new State(new RestartIntensity(options.maxRestarts(), options.period())));
        }

        @Override
        protected CallResult<State> handleCall(Object request, From from, State s) {
            return switch (request) {
                case SupervisorServer.StartChild(ChildSpec spec) -> {
                    if (s.children.size() >= options.maxChildren()) {
                        yield reply(new SupervisorServer.Refused(ExitReason.of(Atom.of("max_children"))), s);
                    }
                    try {
                        Pid pid = SupervisorServer.startFunction(spec, UNDEFINED);
                        if (pid == null) {
                            yield reply(new SupervisorServer.Refused(StartException.IGNORE), s);
                        }
                        link(pid);
                        s.children.put(pid, new Child(spec, false));
                        yield reply(new SupervisorServer.Ok(pid), s);
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
                pid = SupervisorServer.startFunction(spec, UNDEFINED);
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

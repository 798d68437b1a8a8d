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

    /** Stops a child and forgets it; false if {@code pid} is not a child. */
    public static boolean terminateChild(Object supervisor, Pid pid) {
        return GenServer.call(supervisor, new SupervisorServer.TerminateChild(pid), GenServer.INFINITY);
    }

    /** The running children, oldest first; their ids are {@code undefined}, as in Elixir. */
    public static List<Supervisor.ChildInfo> whichChildren(Object supervisor) {
        return GenServer.call(supervisor, new SupervisorServer.WhichChildren(), GenServer.INFINITY);
    }

    public static Supervisor.ChildCount countChildren(Object supervisor) {
        return GenServer.call(supervisor, new SupervisorServer.CountChildren(), GenServer.INFINITY);
    }

    static final Atom UNDEFINED = Atom.of("undefined");

    /** The supervisor process; its state is its children by pid, in start order. */
    static final class Server extends GenServer<Server.State> {
        static final class State {
            final LinkedHashMap<Pid, ChildSpec> children = new LinkedHashMap<>();
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
                        yield reply(new SupervisorServer.Ok(start(s, spec)), s);
                    } catch (StartException e) {
                        yield reply(new SupervisorServer.Refused(e.reason()), s);
                    }
                }
                case SupervisorServer.TerminateChild(Object pid) -> {
                    ChildSpec spec = s.children.remove(pid);
                    if (spec != null) {
                        Shutdowns.stop((Pid) pid, spec.shutdown());
                    }
                    yield reply(spec != null, s);
                }
                case SupervisorServer.WhichChildren w -> {
                    List<Supervisor.ChildInfo> out = new ArrayList<>();
                    s.children.forEach((pid, spec) -> out.add(new Supervisor.ChildInfo(UNDEFINED, Optional.of(pid),
                            spec.type(), spec.restart())));
                    yield reply(List.copyOf(out), s);
                }
                case SupervisorServer.CountChildren c -> {
                    int supervisors = (int) s.children.values().stream().filter(x -> x.type() == ChildSpec.Type.SUPERVISOR).count();
                    int n = s.children.size();
                    yield reply(new Supervisor.ChildCount(n, n, supervisors, n - supervisors), s);
                }
                default -> throw new IllegalArgumentException("unknown dynamic supervisor request " + request);
            };
        }

        private static Pid start(State s, ChildSpec spec) {
            Pid pid;
            try {
                pid = spec.start().get();
            } catch (StartException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new StartException(ProcLib.reasonOf(e));
            }
            if (pid == null) {
                throw new StartException(ExitReason.of(new IllegalStateException(
                        "a child's start function returned null; return the pid of a process started with startLink")));
            }
            link(pid);
            s.children.put(pid, spec);
            return pid;
        }

        @Override
        protected Result<State> handleInfo(Object message, State s) {
            return switch (message) {
                case Exit(Pid pid, ExitReason reason) when s.children.containsKey(pid) -> {
                    ChildSpec spec = s.children.remove(pid);
                    yield spec.restart().restarts(reason) ? restart(s, spec, reason) : noReply(s);
                }
                case SupervisorServer.TryAgain(Object spec, ExitReason reason) -> restart(s, (ChildSpec) spec, reason);
                case Exit e -> noReply(s); // a child whose start failed, or one already stopped
                default -> super.handleInfo(message, s);
            };
        }

        private Result<State> restart(State s, ChildSpec spec, ExitReason reason) {
            if (!s.intensity.add(System.nanoTime())) {
                return stop(ExitReason.SHUTDOWN, s);
            }
            try {
                start(s, spec);
            } catch (StartException e) {
                send(self(), new SupervisorServer.TryAgain(spec, e.reason()));
            }
            return noReply(s);
        }

        @Override
        protected void terminate(ExitReason reason, State s) {
            List<Map.Entry<Pid, ChildSpec>> all = new ArrayList<>(s.children.entrySet());
            for (int i = all.size() - 1; i >= 0; i--) {
                Shutdowns.stop(all.get(i).getKey(), all.get(i).getValue().shutdown());
            }
            s.children.clear();
        }

        @Override
        protected String formatState(State s) {
            return s.children.size() + " children";
        }
    }
}

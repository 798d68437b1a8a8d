package io.loomix.otp;

import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.loomix.Process.*;

/**
 * The supervisor process: a GenServer that traps exits, starts its children in order, carries out
 * {@link Children}' restart decisions and stops its children in reverse order when it stops.
 */
final class SupervisorServer extends GenServer<Children> {
    private static final System.Logger LOG = System.getLogger("io.loomix.otp.Supervisor");

    // Requests, as Supervisor's API sends them; printed as OTP's, as they appear in call failures.
    record StartChild(ChildSpec spec) {
        @Override
        public String toString() {
            return "{start_child," + spec + "}";
        }
    }

    record TerminateChild(Object id) {
        @Override
        public String toString() {
            return "{terminate_child," + id + "}";
        }
    }

    record RestartChild(Object id) {
        @Override
        public String toString() {
            return "{restart_child," + id + "}";
        }
    }

    record DeleteChild(Object id) {
        @Override
        public String toString() {
            return "{delete_child," + id + "}";
        }
    }

    record WhichChildren() {
        @Override
        public String toString() {
            return "which_children";
        }
    }

    record CountChildren() {
        @Override
        public String toString() {
            return "count_children";
        }
    }

    record WhichChild(Object id) {
        @Override
        public String toString() {
            return "{which_child," + id + "}";
        }
    }

    record GetChildspec(Object id) {
        @Override
        public String toString() {
            return "{get_childspec," + id + "}";
        }
    }

    /** A restart that failed to start the child, retried from the mailbox as OTP does. */
    record TryAgain(Object id, ExitReason reason) {}

    /** Answers to the requests. */
    sealed interface Answer {}

    record Ok(Pid pid, Object info) implements Answer {}

    record Refused(ExitReason reason) implements Answer {}

    /** Erlang's {@code {shutdown, {failed_to_start_child, Id, Reason}}} detail. */
    public record FailedToStartChild(Object id, ExitReason reason) {
        @Override
        public String toString() {
            return "{failed_to_start_child," + id + "," + reason + "}";
        }
    }

    private final java.util.function.Supplier<Init<SupervisorSpec>> module;
    private SupervisorSpec spec;

    /** A supervisor whose spec comes from {@code module}'s init, run in the supervisor process. */
    SupervisorServer(java.util.function.Supplier<Init<SupervisorSpec>> module) {
        this.module = module;
    }

    @Override
    protected Init<Children> init() {
        trapExit(true);
        switch (module.get()) {
            case Init.Ok<SupervisorSpec>(SupervisorSpec s, Next n) -> spec = java.util.Objects.requireNonNull(s,
                    "a supervisor's init returned ok(null); return Init.ok(spec)");
            case Init.Ignore<SupervisorSpec> i -> {
                return Init.ignore();
            }
            case Init.Stop<SupervisorSpec>(ExitReason reason) -> {
                return new Init.Stop<>(reason);
            }
            case null -> {
                return new Init.Stop<>(ExitReason.of(new BadReturnValue("init", null)));
            }
        }
        Children children = new Children(spec.strategy(), new RestartIntensity(spec.maxRestarts(), spec.period()),
                spec.autoShutdown());
        for (ChildSpec child : spec.children()) {
            children.add(child);
            try {
                start(children, child.id());
            } catch (StartException e) {
                stopAll(children);
                return Init.stop(new ExitReason.Shutdown(new FailedToStartChild(child.id(), e.reason())));
            }
        }
        return ok(children);
    }

    /** Starts child {@code id}; an ignoring child stays with no pid (a temporary one is forgotten). */
    private static Object start(Children children, Object id) {
        Children.Child child = children.child(id);
        ChildSpec.Started started = startFunction(child.spec, id);
        if (started == null) {
            children.stopped(id);
            return null;
        }
        link(started.pid()); // a start function that forgot to link would leave the child unsupervised
        children.started(id, started.pid());
        return started.info();
    }

    /**
     * Runs a child's start function in the supervisor: its pid, or null if it ignored. Whatever it
     * throws, {@code exit(r)} included, is a failed start with that reason ({@code {error, R}}),
     * never a crash of the supervisor; only a kill of the supervisor itself goes through.
     */
    static ChildSpec.Started startFunction(ChildSpec spec, Object id) {
        Pid pid;
        Object info = null;
        try {
            if (spec.start() instanceof ChildSpec.StartWithInfo withInfo) {
                ChildSpec.Started s = withInfo.startWithInfo();
                pid = s == null ? null : s.pid();
                info = s == null ? null : s.info();
            } else {
                pid = spec.start().get();
            }
        } catch (StartException e) {
            if (e.ignored()) {
                return null;
            }
            throw e;
        } catch (Throwable t) {
            if (ProcLib.isKilled(t)) {
                throw t;
            }
            throw new StartException(ProcLib.reasonOf(t));
        }
        if (pid == null) {
            throw new StartException(ExitReason.of(new IllegalStateException("the start function of child " + id
                    + " returned null; return the pid of a process started with startLink")));
        }
        return new ChildSpec.Started(pid, info);
    }

    private static void stop(Children children, Children.Child child) {
        Shutdowns.stop(child.pid, child.spec.shutdown());
        children.stopped(child.id());
    }

    private static void stopAll(Children children) {
        for (Children.Child child : children.runningReversed()) {
            stop(children, child);
        }
    }

    @Override
    protected CallResult<Children> handleCall(Object request, From from, Children children) {
        return switch (request) {
            case StartChild(ChildSpec child) -> reply(startChild(children, child), children);
            case TerminateChild(Object id) -> {
                Optional<Children.Child> child = children.find(id);
                if (child.isPresent() && child.get().running()) {
                    stop(children, child.get());
                } else if (child.isPresent() && child.get().restarting) {
                    children.stopped(id); // ends the retries, as OTP does
                }
                yield reply(child.isPresent(), children);
            }
            case RestartChild(Object id) -> reply(restartChild(children, id), children);
            case DeleteChild(Object id) -> {
                Optional<Children.Child> child = children.find(id);
                if (child.isPresent() && (child.get().running() || child.get().restarting)) {
                    yield reply(new Refused(ExitReason.of(io.loomix.Atom.of(child.get().running() ? "running"
                            : "restarting"))), children);
                }
                child.ifPresent(c -> children.remove(id));
                yield reply(child.isPresent(), children);
            }
            case WhichChildren w -> {
                List<Supervisor.ChildInfo> out = new ArrayList<>();
                for (Children.Child c : children.all().reversed()) { // most recent first, as OTP
                    out.add(info(c));
                }
                yield reply(List.copyOf(out), children);
            }
            case CountChildren c -> reply(count(children.all()), children);
            case WhichChild(Object id) -> reply(children.find(id).map(SupervisorServer::info), children);
            case GetChildspec(Object id) -> reply(children.find(id).map(ch -> ch.spec), children);
            default -> throw new IllegalArgumentException("unknown supervisor request " + request);
        };
    }

    static Supervisor.ChildInfo info(Children.Child c) {
        return new Supervisor.ChildInfo(c.id(), Optional.ofNullable(c.pid), c.spec.type(), c.spec.restart(),
                c.restarting);
    }

    static Supervisor.ChildCount count(List<Children.Child> all) {
        int active = 0;
        int supervisors = 0;
        for (Children.Child c : all) {
            active += c.running() ? 1 : 0;
            supervisors += c.spec.type() == ChildSpec.Type.SUPERVISOR ? 1 : 0;
        }
        return new Supervisor.ChildCount(all.size(), active, supervisors, all.size() - supervisors);
    }

    private static Answer startChild(Children children, ChildSpec child) {
        Optional<Children.Child> existing = children.find(child.id());
        if (existing.isPresent()) {
            return new Refused(existing.get().running()
                    ? ExitReason.of(new StartException.AlreadyStarted(existing.get().pid))
                    : ExitReason.of(io.loomix.Atom.of("already_present")));
        }
        children.add(child);
        Object info;
        try {
            info = start(children, child.id());
        } catch (StartException e) {
            children.remove(child.id());
            return new Refused(e.reason());
        }
        Pid pid = children.find(child.id()).map(c -> c.pid).orElse(null);
        return pid != null ? new Ok(pid, info) : new Refused(StartException.IGNORE);
    }

    private static Answer restartChild(Children children, Object id) {
        Optional<Children.Child> child = children.find(id);
        if (child.isEmpty()) {
            return new Refused(ExitReason.of(io.loomix.Atom.of("not_found")));
        }
        if (child.get().running() || child.get().restarting) {
            return new Refused(ExitReason.of(io.loomix.Atom.of(child.get().running() ? "running" : "restarting")));
        }
        Object info;
        try {
            info = start(children, id);
        } catch (StartException e) {
            return new Refused(e.reason());
        }
        Pid pid = child.get().pid;
        return pid == null ? new Refused(StartException.IGNORE) : new Ok(pid, info);
    }

    @Override
    protected Result<Children> handleInfo(Object message, Children children) {
        return switch (message) {
            case Exit(Pid pid, ExitReason reason) -> carryOut(children.exited(pid, reason, System.nanoTime()), children);
            case TryAgain(Object id, ExitReason reason) ->
                    carryOut(children.startFailed(id, reason, System.nanoTime()), children);
            default -> super.handleInfo(message, children);
        };
    }

    private Result<Children> carryOut(Children.Decision decision, Children children) {
        switch (decision) {
            case Children.NotAChild n -> {}
            case Children.NoRestart(Object id) -> {}
            case Children.ShutDownItself(Object id) -> {
                return stop(ExitReason.SHUTDOWN, children); // OTP's auto_shutdown: quietly, with shutdown
            }
            case Children.Restart(Object id, List<Object> stop, List<Object> start) -> {
                for (Object other : stop) {
                    stop(children, children.child(other));
                }
                for (Object next : start) {
                    try {
                        start(children, next);
                    } catch (StartException e) {
                        children.restartFailed(next);
                        LOG.log(System.Logger.Level.ERROR, () -> "Supervisor " + self() + " could not restart child "
                                + next + ": " + e.reason() + "; trying again");
                        send(self(), new TryAgain(next, e.reason()));
                        break;
                    }
                }
            }
            case Children.GiveUp(Object id, ExitReason reason) -> {
                LOG.log(System.Logger.Level.ERROR, () -> "Supervisor " + self() + " reached its restart intensity ("
                        + spec.maxRestarts() + " restarts in " + spec.period() + ") when child " + id + " exited with "
                        + reason + "; shutting down its children and exiting with shutdown");
                return stop(ExitReason.SHUTDOWN, children);
            }
        }
        return noReply(children);
    }

    @Override
    protected void terminate(ExitReason reason, Children children) {
        stopAll(children);
    }

    @Override
    protected String formatState(Children children) {
        return children.toString();
    }
}

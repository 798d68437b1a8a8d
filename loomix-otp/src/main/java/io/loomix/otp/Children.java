package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A supervisor's children and its restart decisions, without processes: given the children in
 * start order and an exit, {@link #exited} says what to stop and start, or that the restart
 * intensity is exceeded. The supervisor process carries the decision out and reports back with
 * {@link #started} and {@link #stopped}.
 */
final class Children {

    /**
     * One child: its spec and, while it runs, its pid. A child whose restart failed is
     * {@code restarting} (OTP's {@code restarting} pid) until a retry starts it or it is terminated.
     */
    static final class Child {
        final ChildSpec spec;
        Pid pid;
        boolean restarting;

        Child(ChildSpec spec) {
            this.spec = spec;
        }

        Object id() {
            return spec.id();
        }

        boolean running() {
            return pid != null;
        }
    }

    /** What to do about an exit. */
    sealed interface Decision {}

    /** Not a child of ours (for example a child whose start failed): nothing to do. */
    record NotAChild() implements Decision {}

    /** Not restarted; a temporary child's spec is removed, others are kept. */
    record NoRestart(Object id) implements Decision {}

    /** Stop {@code stop} (in that order: reverse start order), then start {@code start} (in start order). */
    record Restart(Object id, List<Object> stop, List<Object> start) implements Decision {}

    /** The restart intensity is exceeded: shut everything down and exit. */
    record GiveUp(Object id, ExitReason reason) implements Decision {}

    /** A significant child exited by itself and the auto-shutdown rule says: shut down, exit {@code shutdown}. */
    record ShutDownItself(Object id) implements Decision {}

    private final Strategy strategy;
    private final RestartIntensity intensity;
    private final SupervisorSpec.AutoShutdown autoShutdown;
    private final List<Child> list = new ArrayList<>();

    Children(Strategy strategy, RestartIntensity intensity) {
        this(strategy, intensity, SupervisorSpec.AutoShutdown.NEVER);
    }

    Children(Strategy strategy, RestartIntensity intensity, SupervisorSpec.AutoShutdown autoShutdown) {
        this.strategy = strategy;
        this.intensity = intensity;
        this.autoShutdown = autoShutdown;
    }

    /** A child exited with {@code reason} at {@code now} (nanoseconds). */
    Decision exited(Pid pid, ExitReason reason, long now) {
        int index = indexOfPid(pid);
        if (index < 0) {
            return new NotAChild();
        }
        Child child = list.get(index);
        child.pid = null;
        if (!child.spec.restart().restarts(reason)) {
            if (child.spec.restart() == ChildSpec.Restart.TEMPORARY) {
                list.remove(index);
            }
            if (child.spec.significant() && shutsDown()) {
                return new ShutDownItself(child.id());
            }
            return new NoRestart(child.id());
        }
        return restart(index, reason, now);
    }

    /** After a significant child exited by itself: whether the supervisor shuts down now. */
    private boolean shutsDown() {
        return switch (autoShutdown) {
            case NEVER -> false;
            case ANY_SIGNIFICANT -> true;
            case ALL_SIGNIFICANT -> list.stream().noneMatch(c -> c.spec.significant() && (c.running() || c.restarting));
        };
    }

    /** A restart of child {@code id} failed to start it: it is restarting until a retry starts it. */
    void restartFailed(Object id) {
        Child c = child(id);
        c.pid = null;
        c.restarting = true;
    }

    /**
     * The retry of a failed restart of child {@code id} is due: try again, counting one more
     * restart. A retry for a child that is no longer restarting (another restart started it, or it
     * was terminated or deleted meanwhile) is stale and does nothing: acting on it would forget a
     * running child.
     */
    Decision startFailed(Object id, ExitReason reason, long now) {
        int index = indexOf(id);
        if (index < 0 || !list.get(index).restarting) {
            return new NotAChild();
        }
        return restart(index, reason, now);
    }

    private Decision restart(int index, ExitReason reason, long now) {
        Object id = list.get(index).id();
        if (!intensity.add(now)) {
            return new GiveUp(id, reason);
        }
        Strategy.Range range = strategy.affected(index, list.size());
        List<Object> stop = new ArrayList<>();
        for (int i = range.to() - 1; i >= range.from(); i--) {
            if (i != index && list.get(i).running()) {
                stop.add(list.get(i).id());
            }
        }
        List<Object> start = new ArrayList<>();
        for (int i = range.from(); i < range.to(); i++) {
            Child c = list.get(i);
            if (c.spec.restart() != ChildSpec.Restart.TEMPORARY) {
                start.add(c.id());
            }
        }
        return new Restart(id, List.copyOf(stop), List.copyOf(start));
    }

    // ---- bookkeeping, as the supervisor carries decisions out ----

    void add(ChildSpec spec) {
        if (find(spec.id()).isPresent()) {
            throw new IllegalArgumentException("a child with id " + spec.id() + " exists already");
        }
        list.add(new Child(spec));
    }

    void started(Object id, Pid pid) {
        Child c = child(id);
        c.pid = pid;
        c.restarting = false;
    }

    /** The child is no longer running nor restarting; a temporary child is forgotten, as OTP does. */
    void stopped(Object id) {
        Child c = child(id);
        c.pid = null;
        c.restarting = false;
        if (c.spec.restart() == ChildSpec.Restart.TEMPORARY) {
            list.remove(c);
        }
    }

    void remove(Object id) {
        list.remove(child(id));
    }

    Optional<Child> find(Object id) {
        int i = indexOf(id);
        return i < 0 ? Optional.empty() : Optional.of(list.get(i));
    }

    Child child(Object id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("no child with id " + id));
    }

    /** The children in start order. */
    List<Child> all() {
        return List.copyOf(list);
    }

    /** Running children in reverse start order: the order to stop them in. */
    List<Child> runningReversed() {
        List<Child> out = new ArrayList<>();
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).running()) {
                out.add(list.get(i));
            }
        }
        return out;
    }

    private int indexOfPid(Pid pid) {
        for (int i = 0; i < list.size(); i++) {
            if (pid.equals(list.get(i).pid)) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(Object id) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (Child c : list) {
            sb.append(sb.length() > 1 ? ", " : "").append(c.id()).append('=')
                    .append(c.pid != null ? c.pid : c.restarting ? "restarting" : "undefined");
        }
        return sb.append("] ").append(strategy).toString();
    }
}

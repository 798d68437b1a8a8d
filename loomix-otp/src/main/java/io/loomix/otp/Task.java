package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.loomix.Process.*;

/**
 * Elixir's {@code Task}: a process that computes one value for its owner.
 *
 * {@snippet :
 * Task<Integer> a = Task.async(() -> slowSquare(3));
 * Task<Integer> b = Task.async(() -> slowSquare(4));
 * int sum = a.await() + b.await();                   // 25
 * List<Integer> both = Task.awaitMany(List.of(Task.async(() -> 1), Task.async(() -> 2)), Duration.ofSeconds(1));
 * List<Integer> lengths = Task.asyncStream(words, String::length, 8).toList();
 * }
 *
 * <p>{@link #async} links the task to its owner: if it crashes, the owner does too. The owner
 * monitors it, and the monitor ref tags its {@link Reply}, which goes to an alias the owner
 * removes once it stops waiting: after an {@code await} timeout that the owner catches, neither
 * the late reply nor the Down is left in its mailbox (as Elixir's alias + demonitor). A GenServer
 * that starts tasks can take their replies in {@code handleInfo} as {@link Reply}s and their exits
 * as {@link Down}s, both tagged with {@link #ref}. Only the owner may await, yield, ignore or
 * shut down a task.
 *
 * @param pid   the task's process, or null for a {@link #completed} task
 * @param ref   the owner's monitor on it, which tags its reply
 * @param owner the process that started it
 * @param alias where its reply goes; removed once the owner has its result or gave up
 */
public record Task<T>(Pid pid, Ref ref, Pid owner, Ref alias) {

    /** A task's result, as its owner receives it: Elixir's {@code {ref, result}}. */
    public record Reply(Ref ref, Object value) {}

    /** The owner's go-ahead, carrying the monitor ref that tags the reply and the alias it goes to. */
    record Go(Ref ref, Ref alias) {}

    /** What {@link #yield} and {@link #shutdown} found. */
    public sealed interface Outcome<T> {
        /** The task finished with {@code value}: Elixir's {@code {:ok, value}}. */
        record Ok<T>(T value) implements Outcome<T> {}

        /** The task exited with {@code reason} before replying: Elixir's {@code {:exit, reason}}. */
        record Exited<T>(ExitReason reason) implements Outcome<T> {}
    }

    private static final Object TIMED_OUT = new Object();

    // ---- starting ----

    /** Starts {@code fn} in a process linked to and monitored by the caller. */
    public static <T> Task<T> async(Supplier<T> fn) {
        Objects.requireNonNull(fn, "async: function must not be null");
        Pid owner = self();
        return go(spawnLink(body(owner, fn)), owner);
    }

    /**
     * Starts {@code fn} in a process that nobody waits for, Elixir's {@code Task.start}: not
     * linked, not monitored, its result dropped. For side effects that may fail alone.
     */
    public static Pid start(Runnable fn) {
        Objects.requireNonNull(fn, "start: function must not be null");
        return spawn(fn);
    }

    /** {@link #start} linked to the caller, Elixir's {@code Task.start_link}: how a supervisor runs a task. */
    public static Pid startLink(Runnable fn) {
        Objects.requireNonNull(fn, "startLink: function must not be null");
        return spawnLink(fn);
    }

    /**
     * A child spec that runs {@code fn} under a supervisor, Elixir's {@code Task} child spec:
     * temporary (a task that finished is not restarted), 5 s to shut down.
     */
    public static ChildSpec childSpec(Object id, Runnable fn) {
        Objects.requireNonNull(fn, "childSpec: function must not be null");
        return ChildSpec.worker(id, () -> spawnLink(fn)).withRestart(ChildSpec.Restart.TEMPORARY);
    }

    /** A task that has already finished with {@code value}, Elixir's {@code Task.completed}: awaiting it returns at once. */
    public static <T> Task<T> completed(T value) {
        Ref alias = io.loomix.Process.alias();
        Ref ref = makeRef();
        send(alias, new Reply(ref, value));
        return new Task<>(null, ref, self(), alias);
    }

    /** The task's body: wait for the owner's go-ahead, run, reply. */
    static <T> Runnable body(Pid owner, Supplier<T> fn) {
        return () -> {
            Go go = receive(m -> m instanceof Go g ? g : null);
            send(go.alias(), new Reply(go.ref(), fn.get()));
        };
    }

    /** Monitors a started task body and lets it run. The alias is made first, so the monitor sets the receive marker. */
    static <T> Task<T> go(Pid pid, Pid owner) {
        Ref alias = io.loomix.Process.alias();
        Ref ref = monitor(pid);
        send(pid, new Go(ref, alias));
        return new Task<>(pid, ref, owner, alias);
    }

    // ---- waiting ----

    /** {@link #await(Duration)} with Elixir's default of 5 s. */
    public T await() {
        return await(GenServer.DEFAULT_TIMEOUT);
    }

    /**
     * Waits for the result. If the task exits first, the caller exits with
     * {@code CallFailed(reason, "Task.await", [task, timeout])}; if {@code timeout} passes first,
     * with reason {@code timeout} (the task keeps running, linked: it dies with an owner that
     * does not catch the exit). Either way nothing of the task is left in the mailbox.
     */
    @SuppressWarnings("unchecked")
    public T await(Duration timeout) {
        checkOwner("await");
        Gen.checkTimeout(timeout, "Task.await");
        Object r = receive(ref, timeout, this::match, () -> TIMED_OUT);
        forget();
        switch (r) {
            case Reply reply -> {
                return (T) reply.value();
            }
            case Down down -> throw exit(new CallFailed(down.reason(), "Task.await", List.of(this, Gen.printable(timeout))));
            default -> throw exit(new CallFailed(ExitReason.of(Gen.TIMEOUT), "Task.await",
                    List.of(this, Gen.printable(timeout))));
        }
    }

    /**
     * Waits for all of {@code tasks} and returns their results in order, Elixir's
     * {@code Task.await_many}. The caller exits with {@code CallFailed(reason, "Task.awaitMany",
     * [tasks, timeout])} as soon as one exits, or with {@code timeout}; the tasks' replies and
     * Downs are then not left in its mailbox.
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> awaitMany(List<Task<T>> tasks, Duration timeout) {
        Gen.checkTimeout(timeout, "Task.awaitMany");
        tasks.forEach(t -> t.checkOwner("awaitMany"));
        long deadline = deadline(timeout);
        Object[] results = new Object[tasks.size()];
        boolean[] done = new boolean[tasks.size()];
        int left = tasks.size();
        while (left > 0) {
            Object r = receive(remaining(deadline), m -> matchAny(tasks, done, m), () -> TIMED_OUT);
            if (r == TIMED_OUT || r instanceof Indexed(int i, Down d) && d != null) {
                tasks.forEach(Task::forget);
                ExitReason reason = r == TIMED_OUT ? ExitReason.of(Gen.TIMEOUT) : ((Indexed) r).down().reason();
                throw exit(new CallFailed(reason, "Task.awaitMany", List.of(List.copyOf(tasks), Gen.printable(timeout))));
            }
            int i = ((Indexed) r).index();
            results[i] = ((Reply) ((Indexed) r).message()).value();
            done[i] = true;
            tasks.get(i).forget();
            left--;
        }
        List<T> out = new ArrayList<>(tasks.size());
        for (Object o : results) {
            out.add((T) o);
        }
        return Collections.unmodifiableList(out);
    }

    /** A message for task {@code index} of a group. */
    private record Indexed(int index, Object message) {
        Down down() {
            return (Down) message;
        }
    }

    private static Object matchAny(List<? extends Task<?>> tasks, boolean[] done, Object m) {
        for (int i = 0; i < tasks.size(); i++) {
            if (!done[i] && tasks.get(i).match(m) != null) {
                return new Indexed(i, m);
            }
        }
        return null;
    }

    /**
     * Waits up to {@code timeout} for the result: {@link Outcome.Ok}, {@link Outcome.Exited}, or
     * null if the task is still running (yield again later, or {@link #shutdown} it).
     */
    @SuppressWarnings("unchecked")
    public Outcome<T> yield(Duration timeout) {
        checkOwner("yield");
        Gen.checkTimeout(timeout, "Task.yield");
        Object r = receive(timeout, this::match, () -> TIMED_OUT);
        if (r == TIMED_OUT) {
            return null;
        }
        forget();
        return r instanceof Reply reply ? new Outcome.Ok<>((T) reply.value()) : new Outcome.Exited<>(((Down) r).reason());
    }

    /**
     * Waits up to {@code timeout} for all of {@code tasks}, Elixir's {@code Task.yield_many}: the
     * outcomes in the tasks' order, null for a task still running.
     */
    @SuppressWarnings("unchecked")
    public static <T> List<Outcome<T>> yieldMany(List<Task<T>> tasks, Duration timeout) {
        Gen.checkTimeout(timeout, "Task.yieldMany");
        tasks.forEach(t -> t.checkOwner("yieldMany"));
        long deadline = deadline(timeout);
        List<Outcome<T>> out = new ArrayList<>(Collections.nCopies(tasks.size(), null));
        boolean[] done = new boolean[tasks.size()];
        for (int left = tasks.size(); left > 0; left--) {
            Object r = receive(remaining(deadline), m -> matchAny(tasks, done, m), () -> TIMED_OUT);
            if (r == TIMED_OUT) {
                break;
            }
            int i = ((Indexed) r).index();
            Object m = ((Indexed) r).message();
            done[i] = true;
            tasks.get(i).forget();
            out.set(i, m instanceof Reply reply ? new Outcome.Ok<>((T) reply.value())
                    : new Outcome.Exited<>(((Down) m).reason()));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Lets the task run on without its owner, Elixir's {@code Task.ignore}: unlinks it and drops
     * its monitor and alias, so its result and exit are never seen. Returns its outcome if it had
     * already finished, else null.
     */
    @SuppressWarnings("unchecked")
    public Outcome<T> ignore() {
        checkOwner("ignore");
        if (pid != null) {
            unlink(pid);
        }
        Object r = receive(Duration.ZERO, this::match, () -> TIMED_OUT);
        forget();
        return switch (r) {
            case Reply reply -> new Outcome.Ok<>((T) reply.value());
            case Down down -> new Outcome.Exited<>(down.reason());
            default -> null;
        };
    }

    // ---- stopping ----

    /**
     * Unlinks and stops the task, Elixir's {@code Task.shutdown}: exit {@code shutdown}, then kill
     * after {@code timeout}. Returns {@link Outcome.Ok} if it replied meanwhile, null if it stopped
     * as asked (shutdown), or {@link Outcome.Exited} with any other reason: {@code killed} when it
     * ignored the shutdown and had to be killed after the timeout (Elixir's current rule; 1.14
     * returned nil) or was killed by someone else, {@code noproc} if its Down was already taken.
     * Nothing of the task is left in the mailbox.
     */
    public Outcome<T> shutdown(Duration timeout) {
        Gen.checkTimeout(timeout, "Task.shutdown");
        return shutdown(timeout, false);
    }

    /** {@link #shutdown(Duration)} with Elixir's {@code :brutal_kill}: kill at once; null if it was killed so. */
    public Outcome<T> shutdownBrutally() {
        return shutdown(Duration.ZERO, true);
    }

    @SuppressWarnings("unchecked")
    private Outcome<T> shutdown(Duration timeout, boolean brutal) {
        checkOwner("shutdown");
        if (pid == null) { // a completed task: nothing runs
            Object r = receive(Duration.ZERO, this::match, () -> TIMED_OUT);
            forget();
            return r instanceof Reply reply ? new Outcome.Ok<>((T) reply.value()) : null;
        }
        unlink(pid);
        Ref mon = monitor(pid); // noproc at once if the task is gone and its Down already taken
        exit(pid, brutal ? ExitReason.KILL : ExitReason.SHUTDOWN);
        Object r = receive(brutal ? GenServer.INFINITY : timeout, m -> shutdownMatch(m, mon), () -> TIMED_OUT);
        if (r == TIMED_OUT) {
            exit(pid, ExitReason.KILL); // its Down then says killed: the caller learns it had to be
            r = receive(m -> shutdownMatch(m, mon));
        }
        if (!(r instanceof Reply)) { // a reply sent just before the exit still counts
            Object late = receive(Duration.ZERO, m -> m instanceof Reply x && x.ref().equals(ref) ? x : null, () -> null);
            if (late != null) {
                r = late;
            }
        }
        demonitor(mon, true);
        forget();
        if (r instanceof Reply reply) {
            return new Outcome.Ok<>((T) reply.value());
        }
        ExitReason reason = ((Down) r).reason();
        if (reason == ExitReason.SHUTDOWN || (brutal && reason == ExitReason.KILLED)) {
            return null;
        }
        return new Outcome.Exited<>(reason);
    }

    private Object shutdownMatch(Object m, Ref mon) {
        Object mine = match(m);
        return mine != null ? mine : m instanceof Down d && d.ref().equals(mon) ? d : null;
    }

    // ---- streams ----

    /**
     * Runs {@code fn} on every item in tasks, at most {@code maxConcurrency} at once, and streams
     * the results in the items' order. Lazy: tasks start as the stream is consumed, which must
     * happen in the calling process. Each result is awaited with the 5 s default; a task that
     * crashes takes the caller with it, as in Elixir. A stream not consumed to its end (a
     * {@code limit}, a {@code findFirst}) must be closed to stop the tasks still running: use it
     * in try-with-resources.
     */
    public static <A, T> Stream<T> asyncStream(Collection<A> items, Function<? super A, ? extends T> fn, int maxConcurrency) {
        return asyncStream(items, fn, maxConcurrency, GenServer.DEFAULT_TIMEOUT);
    }

    /** {@link #asyncStream(Collection, Function, int)} awaiting each result at most {@code timeout}. */
    public static <A, T> Stream<T> asyncStream(Collection<A> items, Function<? super A, ? extends T> fn,
            int maxConcurrency, Duration timeout) {
        return TaskStream.values(items, fn, StreamOptions.DEFAULT.withMaxConcurrency(maxConcurrency).withTimeout(timeout));
    }

    /**
     * Elixir's {@code Task.async_stream} with its options: each element is {@link Outcome.Ok}
     * with a result, or {@link Outcome.Exited} for a task that exited (a caller that does not trap
     * exits dies with it first, as in Elixir) or, with {@link StreamOptions#withKillOnTimeout},
     * that took longer than the timeout ({@code timeout}). Close the stream if it is not consumed
     * to its end.
     */
    public static <A, T> Stream<Outcome<T>> asyncStream(Collection<A> items, Function<? super A, ? extends T> fn,
            StreamOptions options) {
        return TaskStream.outcomes(items, fn, options);
    }

    /**
     * Options of {@link #asyncStream(Collection, Function, StreamOptions)}, Elixir's
     * {@code max_concurrency}, {@code ordered}, {@code timeout} and {@code on_timeout}.
     *
     * @param maxConcurrency at most this many tasks at once (default: the number of processors)
     * @param ordered        results in the items' order (default), or as they complete
     * @param timeout        how long each task may take (default 5 s)
     * @param killOnTimeout  on a timeout, kill the task and emit {@code Exited(timeout)} instead of
     *                       exiting the caller (Elixir's {@code on_timeout: :kill_task})
     */
    public record StreamOptions(int maxConcurrency, boolean ordered, Duration timeout, boolean killOnTimeout) {
        public static final StreamOptions DEFAULT = new StreamOptions(Runtime.getRuntime().availableProcessors(), true,
                GenServer.DEFAULT_TIMEOUT, false);

        public StreamOptions {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("asyncStream: maxConcurrency must be at least 1, was " + maxConcurrency);
            }
            Gen.checkTimeout(timeout, "asyncStream");
        }

        public StreamOptions withMaxConcurrency(int max) {
            return new StreamOptions(max, ordered, timeout, killOnTimeout);
        }

        public StreamOptions withOrdered(boolean on) {
            return new StreamOptions(maxConcurrency, on, timeout, killOnTimeout);
        }

        public StreamOptions withTimeout(Duration t) {
            return new StreamOptions(maxConcurrency, ordered, t, killOnTimeout);
        }

        public StreamOptions withKillOnTimeout(boolean on) {
            return new StreamOptions(maxConcurrency, ordered, timeout, on);
        }
    }

    // ---- shared ----

    Object match(Object m) {
        return switch (m) {
            case Reply r when r.ref().equals(ref) -> r;
            case Down d when d.ref().equals(ref) -> d;
            default -> null;
        };
    }

    /**
     * Stops waiting: no reply, no Down of this task can reach the owner any more, and one that
     * reached it just before is dropped.
     */
    void forget() {
        unalias(alias);
        demonitor(ref, true);
        receive(Duration.ZERO, m -> m instanceof Reply r && r.ref().equals(ref) ? r : null, () -> null);
    }

    private void checkOwner(String what) {
        if (!owner.equals(self())) {
            throw new IllegalStateException(what + ": task " + pid + " belongs to " + owner + ", not to " + self()
                    + "; only the process that started a task can " + what + " it");
        }
    }

    static long deadline(Duration timeout) {
        return timeout.compareTo(Duration.ofDays(365 * 100)) > 0 ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    static Duration remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? GenServer.INFINITY : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    @Override
    public String toString() {
        return "Task(" + (pid == null ? "completed" : pid) + "," + ref + ")";
    }
}

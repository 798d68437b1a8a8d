package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static io.loomix.Process.*;

/**
 * Elixir's {@code Task}: a process that computes one value for its owner.
 *
 * {@snippet :
 * Task<Integer> a = Task.async(() -> slowSquare(3));
 * Task<Integer> b = Task.async(() -> slowSquare(4));
 * int sum = a.await() + b.await();                   // 25
 * List<Integer> lengths = Task.asyncStream(words, String::length, 8).toList();
 * }
 *
 * <p>{@link #async} links the task to its owner: if it crashes, the owner does too. The owner
 * monitors it, and the monitor ref tags the reply. Only the owner may await or yield a task.
 *
 * @param pid   the task's process
 * @param ref   the owner's monitor on it, which tags its reply
 * @param owner the process that started it
 */
public record Task<T>(Pid pid, Ref ref, Pid owner) {

    /** The task's result, sent to its owner. */
    record TaskReply(Ref ref, Object value) {}

    /** The owner's go-ahead, carrying the monitor ref that tags the reply. */
    record Go(Ref ref) {}

    /** What {@link #yield} found. */
    public sealed interface Outcome<T> {
        /** The task finished with {@code value}. */
        record Ok<T>(T value) implements Outcome<T> {}

        /** The task exited with {@code reason} before replying. */
        record Exited<T>(ExitReason reason) implements Outcome<T> {}
    }

    private static final Object TIMED_OUT = new Object();

    /** Starts {@code fn} in a process linked to and monitored by the caller. */
    public static <T> Task<T> async(Supplier<T> fn) {
        Objects.requireNonNull(fn, "async: function must not be null");
        Pid owner = self();
        Pid pid = spawnLink(body(owner, fn));
        return go(pid, owner);
    }

    /** The task's body: wait for the owner's monitor ref, run, reply. */
    static <T> Runnable body(Pid owner, Supplier<T> fn) {
        return () -> {
            Go go = receive(m -> m instanceof Go g ? g : null);
            send(owner, new TaskReply(go.ref(), fn.get()));
        };
    }

    /** Monitors a started task body and lets it run. */
    static <T> Task<T> go(Pid pid, Pid owner) {
        Ref ref = monitor(pid);
        send(pid, new Go(ref));
        return new Task<>(pid, ref, owner);
    }

    /** {@link #await(Duration)} with Elixir's default of 5 s. */
    public T await() {
        return await(GenServer.DEFAULT_TIMEOUT);
    }

    /**
     * Waits for the result. If the task exits first, the caller exits with its reason; if
     * {@code timeout} passes first, the caller exits with
     * {@code CallFailed(timeout, "Task.await", [task, timeout])} (a linked task then dies with it).
     */
    @SuppressWarnings("unchecked")
    public T await(Duration timeout) {
        checkOwner("await");
        Object r = receive(ref, timeout, this::match, () -> TIMED_OUT);
        switch (r) {
            case TaskReply reply -> {
                demonitor(ref, true);
                return (T) reply.value();
            }
            case Down down -> throw exit(new CallFailed(down.reason(), "Task.await", List.of(this, Gen.printable(timeout))));
            default -> throw exit(new CallFailed(ExitReason.of(Gen.TIMEOUT), "Task.await",
                    List.of(this, Gen.printable(timeout))));
        }
    }

    /**
     * Waits up to {@code timeout} for the result: {@link Outcome.Ok}, {@link Outcome.Exited}, or
     * null if the task is still running (yield again later, or {@link #shutdown} it).
     */
    @SuppressWarnings("unchecked")
    public Outcome<T> yield(Duration timeout) {
        checkOwner("yield");
        Object r = receive(timeout, this::match, () -> TIMED_OUT);
        return switch (r) {
            case TaskReply reply -> {
                demonitor(ref, true);
                yield new Outcome.Ok<>((T) reply.value());
            }
            case Down down -> new Outcome.Exited<>(down.reason());
            default -> null;
        };
    }

    /**
     * Stops the task (exit {@code shutdown}, then kill after {@code timeout}) and returns its
     * outcome if it finished meanwhile, or null. Its reply or Down is not left in the mailbox.
     */
    @SuppressWarnings("unchecked")
    public Outcome<T> shutdown(Duration timeout) {
        checkOwner("shutdown");
        unlink(pid);
        exit(pid, ExitReason.SHUTDOWN);
        Object r = receive(timeout, this::match, () -> TIMED_OUT);
        if (r == TIMED_OUT) {
            exit(pid, ExitReason.KILL);
            r = receive(ref, this::match);
        }
        if (r instanceof TaskReply reply) {
            demonitor(ref, true);
            return new Outcome.Ok<>((T) reply.value());
        }
        Down down = (Down) r;
        return down.reason() == ExitReason.SHUTDOWN || down.reason() == ExitReason.KILLED ? null
                : new Outcome.Exited<>(down.reason());
    }

    private Object match(Object m) {
        return switch (m) {
            case TaskReply r when r.ref().equals(ref) -> r;
            case Down d when d.ref().equals(ref) -> d;
            default -> null;
        };
    }

    private void checkOwner(String what) {
        if (!owner.equals(self())) {
            throw new IllegalStateException(what + ": task " + pid + " belongs to " + owner + ", not to " + self()
                    + "; only the process that started a task can " + what + " it");
        }
    }

    /**
     * Runs {@code fn} on every item in tasks, at most {@code maxConcurrency} at once, and streams
     * the results in the items' order. Lazy: tasks start as the stream is consumed, which must
     * happen in the calling process. Each result is awaited with the 5 s default; a task that
     * crashes takes the caller with it, as in Elixir.
     */
    public static <A, T> Stream<T> asyncStream(Collection<A> items, Function<? super A, ? extends T> fn, int maxConcurrency) {
        return asyncStream(items, fn, maxConcurrency, GenServer.DEFAULT_TIMEOUT);
    }

    public static <A, T> Stream<T> asyncStream(Collection<A> items, Function<? super A, ? extends T> fn,
            int maxConcurrency, Duration timeout) {
        Objects.requireNonNull(fn, "asyncStream: function must not be null");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("asyncStream: maxConcurrency must be at least 1, was " + maxConcurrency);
        }
        Iterator<A> source = List.copyOf(items).iterator();
        Iterator<T> results = new Iterator<>() {
            private final ArrayDeque<Task<T>> running = new ArrayDeque<>();

            private void fill() {
                while (running.size() < maxConcurrency && source.hasNext()) {
                    A item = source.next();
                    running.addLast(async(() -> fn.apply(item)));
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return !running.isEmpty();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T value = running.removeFirst().await(timeout);
                fill();
                return value;
            }
        };
        return StreamSupport.stream(Spliterators.spliterator(results, items.size(),
                Spliterator.ORDERED | Spliterator.SIZED), false);
    }

    @Override
    public String toString() {
        return "Task(" + pid + "," + ref + ")";
    }
}

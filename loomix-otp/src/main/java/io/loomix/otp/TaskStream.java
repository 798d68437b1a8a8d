package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static io.loomix.Process.*;

/**
 * {@link Task#asyncStream}: a lazy iterator that keeps at most {@code maxConcurrency} tasks
 * running and hands out their outcomes in order or as they complete. Closing the stream stops the
 * tasks still running and forgets them, so a stream cut short leaves no task and no message.
 */
final class TaskStream<A, T> implements Iterator<Task.Outcome<T>> {
    private final Iterator<A> source;
    private final Function<? super A, ? extends T> fn;
    private final Task.StreamOptions options;
    private final ArrayDeque<Running<T>> running = new ArrayDeque<>();
    private final io.loomix.Pid owner = self();

    /** A task and when it must be done by. */
    private record Running<T>(Task<T> task, long deadline) {}

    private TaskStream(Collection<A> items, Function<? super A, ? extends T> fn, Task.StreamOptions options) {
        this.source = List.copyOf(items).iterator();
        this.fn = Objects.requireNonNull(fn, "asyncStream: function must not be null");
        this.options = Objects.requireNonNull(options, "asyncStream: options must not be null");
    }

    /** The plain form: values, a task that exits or times out exits the caller. */
    static <A, T> Stream<T> values(Collection<A> items, Function<? super A, ? extends T> fn, Task.StreamOptions options) {
        TaskStream<A, T> it = new TaskStream<>(items, fn, options.withKillOnTimeout(false));
        Stream<Task.Outcome<T>> outcomes = stream(it, items.size());
        return outcomes.map(o -> switch (o) {
            case Task.Outcome.Ok<T>(T value) -> value;
            case Task.Outcome.Exited<T>(ExitReason reason) -> throw exit(reason);
        });
    }

    static <A, T> Stream<Task.Outcome<T>> outcomes(Collection<A> items, Function<? super A, ? extends T> fn,
            Task.StreamOptions options) {
        return stream(new TaskStream<>(items, fn, options), items.size());
    }

    private static <T> Stream<T> stream(TaskStream<?, ?> it, int size) {
        @SuppressWarnings("unchecked")
        Iterator<T> typed = (Iterator<T>) it;
        return StreamSupport.stream(Spliterators.spliterator(typed, size, Spliterator.ORDERED | Spliterator.SIZED), false)
                .onClose(it::close);
    }

    private void fill() {
        while (running.size() < options.maxConcurrency() && source.hasNext()) {
            A item = source.next();
            running.addLast(new Running<>(Task.async(() -> fn.apply(item)), Task.deadline(options.timeout())));
        }
    }

    @Override
    public boolean hasNext() {
        fill();
        return !running.isEmpty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Task.Outcome<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Running<T> next;
        Object message;
        if (options.ordered()) {
            next = running.getFirst();
            message = receive(Task.remaining(next.deadline()), next.task()::match, () -> null);
        } else {
            long soonest = running.stream().mapToLong(Running::deadline).min().orElseThrow();
            Object[] hit = new Object[2];
            message = receive(Task.remaining(soonest), m -> {
                for (Running<T> r : running) {
                    if (r.task().match(m) != null) {
                        hit[0] = r;
                        return m;
                    }
                }
                return null;
            }, () -> null);
            next = message != null ? (Running<T>) hit[0]
                    : running.stream().filter(r -> r.deadline() == soonest).findFirst().orElseThrow();
        }
        running.remove(next);
        next.task().forget();
        Task.Outcome<T> outcome = switch (message) {
            case Task.Reply reply -> new Task.Outcome.Ok<>((T) reply.value());
            case Down down -> new Task.Outcome.Exited<>(down.reason());
            case null -> timedOut(next.task());
            default -> throw new IllegalStateException("unexpected " + message);
        };
        fill();
        return outcome;
    }

    private Task.Outcome<T> timedOut(Task<T> task) {
        if (options.killOnTimeout()) {
            unlink(task.pid());
            exit(task.pid(), ExitReason.KILL);
            return new Task.Outcome.Exited<>(ExitReason.of(Gen.TIMEOUT));
        }
        close();
        throw exit(new CallFailed(ExitReason.of(Gen.TIMEOUT), "Task.asyncStream", List.of(Gen.printable(options.timeout()))));
    }

    /** Stops and forgets the tasks still running (in the owner: the stream is closed where it was used). */
    private void close() {
        if (!self().equals(owner)) {
            return;
        }
        List<Running<T>> left = new ArrayList<>(running);
        running.clear();
        for (Running<T> r : left) {
            unlink(r.task().pid());
            exit(r.task().pid(), ExitReason.KILL);
            r.task().forget();
        }
    }
}

package io.loomix.otp;

import io.loomix.Pid;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import static io.loomix.Process.*;

/**
 * Elixir's {@code Task.Supervisor}: a {@link DynamicSupervisor} of temporary tasks. Tasks
 * started with {@link #asyncNolink} are not linked to the caller, so a crashing task does not
 * take the caller down: {@link Task#yield} reports its exit, and {@link Task#await} exits the
 * caller with it only when awaited. {@link #async} links them as {@link Task#async} does;
 * {@link #startChild} runs one whose result nobody waits for.
 *
 * {@snippet :
 * Pid tasks = TaskSupervisor.startLink();
 * Task<String> t = TaskSupervisor.asyncNolink(tasks, () -> fetch(url));
 * switch (t.yield(Duration.ofSeconds(1))) {
 *     case Task.Outcome.Ok<String>(String page) -> show(page);
 *     case Task.Outcome.Exited<String>(ExitReason why) -> log(why);
 *     case null -> t.shutdown(Duration.ZERO);
 * }
 * }
 *
 * <p>Each task is stopped, when the supervisor stops, as its {@code shutdown} says: Elixir's
 * default of 5 s, or {@link ChildSpec.Shutdown#BRUTAL_KILL} and any other given per task.
 */
public final class TaskSupervisor {
    private TaskSupervisor() {}

    /** Elixir's default task shutdown: 5 s. */
    public static final ChildSpec.Shutdown DEFAULT_SHUTDOWN = ChildSpec.Shutdown.timeout(Duration.ofSeconds(5));

    public static Pid startLink() {
        return DynamicSupervisor.startLink();
    }

    /** A task supervisor with {@code options} (max children, intensity), registered as {@code name} if not null. */
    public static Pid startLink(DynamicSupervisor.Options options, Object name) {
        return name == null ? DynamicSupervisor.startLink(options) : DynamicSupervisor.startLink(options, name);
    }

    /** Runs {@code fn} in a task under {@code supervisor}, monitored by the caller but not linked to it. */
    public static <T> Task<T> asyncNolink(Object supervisor, Supplier<T> fn) {
        return asyncNolink(supervisor, fn, DEFAULT_SHUTDOWN);
    }

    /** {@link #asyncNolink(Object, Supplier)} stopped as {@code shutdown} says when the supervisor stops. */
    public static <T> Task<T> asyncNolink(Object supervisor, Supplier<T> fn, ChildSpec.Shutdown shutdown) {
        Pid owner = self();
        return Task.go(startTask(supervisor, fn, owner, shutdown), owner);
    }

    /**
     * Runs {@code fn} in a task under {@code supervisor}, linked to and monitored by the caller,
     * Elixir's {@code Task.Supervisor.async}: as {@link Task#async}, but supervised.
     */
    public static <T> Task<T> async(Object supervisor, Supplier<T> fn) {
        return async(supervisor, fn, DEFAULT_SHUTDOWN);
    }

    /** {@link #async(Object, Supplier)} stopped as {@code shutdown} says when the supervisor stops. */
    public static <T> Task<T> async(Object supervisor, Supplier<T> fn, ChildSpec.Shutdown shutdown) {
        Pid owner = self();
        Pid pid = startTask(supervisor, fn, owner, shutdown);
        link(pid); // the task waits for its go-ahead, so it is alive here
        return Task.go(pid, owner);
    }

    /**
     * Runs {@code fn} under {@code supervisor} with no owner waiting for it, Elixir's
     * {@code Task.Supervisor.start_child}: returns its pid.
     */
    public static Pid startChild(Object supervisor, Runnable fn) {
        return startChild(supervisor, fn, DEFAULT_SHUTDOWN);
    }

    /** {@link #startChild(Object, Runnable)} stopped as {@code shutdown} says when the supervisor stops. */
    public static Pid startChild(Object supervisor, Runnable fn, ChildSpec.Shutdown shutdown) {
        Objects.requireNonNull(fn, "startChild: function must not be null");
        Objects.requireNonNull(shutdown, "startChild: shutdown must not be null");
        return DynamicSupervisor.startChild(supervisor, Task.childSpec("task", fn).withShutdown(shutdown));
    }

    private static <T> Pid startTask(Object supervisor, Supplier<T> fn, Pid owner, ChildSpec.Shutdown shutdown) {
        Objects.requireNonNull(fn, "async: function must not be null");
        Objects.requireNonNull(shutdown, "async: shutdown must not be null");
        ChildSpec spec = ChildSpec.worker("task", () -> spawnLink(Task.body(owner, fn)))
                .withRestart(ChildSpec.Restart.TEMPORARY).withShutdown(shutdown);
        return DynamicSupervisor.startChild(supervisor, spec);
    }
}

package io.loomix.otp;

import io.loomix.Pid;

import java.util.Objects;
import java.util.function.Supplier;

import static io.loomix.Process.*;

/**
 * Elixir's {@code Task.Supervisor}: a {@link DynamicSupervisor} of temporary tasks. Tasks
 * started with {@link #asyncNolink} are not linked to the caller, so a crashing task does not
 * take the caller down: {@link Task#yield} reports its exit, and {@link Task#await} exits the
 * caller with it only when awaited.
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
 */
public final class TaskSupervisor {
    private TaskSupervisor() {}

    public static Pid startLink() {
        return DynamicSupervisor.startLink();
    }

    public static Pid startLink(DynamicSupervisor.Options options, Object name) {
        return DynamicSupervisor.startLink(options, name);
    }

    /** Runs {@code fn} in a task under {@code supervisor}, monitored by the caller but not linked to it. */
    public static <T> Task<T> asyncNolink(Object supervisor, Supplier<T> fn) {
        Objects.requireNonNull(fn, "asyncNolink: function must not be null");
        Pid owner = self();
        ChildSpec spec = ChildSpec.worker("task", () -> spawnLink(Task.body(owner, fn)))
                .withRestart(ChildSpec.Restart.TEMPORARY);
        Pid pid = DynamicSupervisor.startChild(supervisor, spec);
        return Task.go(pid, owner);
    }
}

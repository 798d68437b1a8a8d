package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.Exited;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.loomix.Process.*;
import static io.loomix.otp.CallFailures.callFailure;
import static org.junit.jupiter.api.Assertions.*;

/** Task and Task.Supervisor edge cases, each checked against Elixir 1.14 (ported from task_test.exs). */
@ExtendWith(ProcessExtension.class)
class TaskConformanceTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    private static final Duration LONG = Duration.ofSeconds(10);

    /** A task body that waits for "go" from the test before returning {@code value}. */
    private record Ready(Pid task) {}

    private static <T> T waitForGo(T value) {
        receive(m -> "go".equals(m) ? m : null);
        return value;
    }

    @Test
    void aCaughtAwaitTimeoutLeavesTheMailboxClean() {
        trapExit(true);
        Task<Integer> t = Task.async(() -> waitForGo(5));
        assertThrows(Exited.class, () -> t.await(Duration.ofMillis(10)));
        send(t.pid(), "go");
        Down down = probe.expectDown(monitor(t.pid()));
        assertEquals(ExitReason.NORMAL, down.reason(), "the task ran on and finished");
        Exit e = receive(m -> m instanceof Exit x ? x : null);
        assertEquals(ExitReason.NORMAL, e.reason(), "as in Elixir, only the link's EXIT arrives");
        assertEquals(List.of(), flush(), "no late reply, no Down");
    }

    @Test
    void shutdownOfATaskItHadToKillAfterTheTimeoutReturnsExitKilled() {
        Pid test = self();
        Task<Integer> t = Task.async(() -> {
            trapExit(true);
            send(test, "trapping");
            receive(m -> m instanceof Pid ? m : null); // ignores its shutdown exit
            return 1;
        });
        receive(m -> "trapping".equals(m) ? m : null); // else the shutdown could land first and end it
        // Elixir main's :timeout_kill clause ("returns exit on killing task after shutdown timeout"); 1.14: nil
        assertEquals(new Task.Outcome.Exited<Integer>(ExitReason.KILLED), t.shutdown(Duration.ofMillis(20)));
        assertEquals(List.of(), flush());
    }

    @Test
    void shutdownOfATaskKilledElsewhereReturnsExitKilled() {
        trapExit(true);
        Task<Integer> t = Task.async(() -> waitForGo(1));
        exit(t.pid(), ExitReason.KILL);
        receive(m -> m instanceof Exit x && x.from().equals(t.pid()) ? x : null);
        assertEquals(new Task.Outcome.Exited<Integer>(ExitReason.KILLED), t.shutdown(Duration.ofMillis(50)));
        assertEquals(List.of(), flush());
    }

    @Test
    void shutdownOfATaskWhoseDownWasTakenReturnsExitNoproc() {
        trapExit(true);
        Task<Integer> t = Task.async(() -> {
            throw exit(Atom.of("boom"));
        });
        receive(m -> m instanceof Down d && d.ref().equals(t.ref()) ? d : null);
        assertEquals(new Task.Outcome.Exited<Integer>(ExitReason.NOPROC), t.shutdown(Duration.ofMillis(50)));
    }

    @Test
    void shutdownReturnsTheReplyOfAFinishedTaskAndNullForAStoppedOne() {
        Task<Integer> done = Task.async(() -> 1);
        probe.expectDown(monitor(done.pid()));
        assertEquals(new Task.Outcome.Ok<>(1), done.shutdown(Duration.ofMillis(50)));
        Task<Integer> running = Task.async(() -> waitForGo(2));
        assertNull(running.shutdown(Duration.ofMillis(50)));
        Task<Integer> brutal = Task.async(() -> waitForGo(3));
        assertNull(brutal.shutdownBrutally());
        assertEquals(List.of(), flush());
    }

    @Test
    void aStreamCutShortAndClosedLeavesNoTaskAndNoMessage() {
        int before = count();
        List<Integer> first;
        try (Stream<Integer> s = Task.asyncStream(IntStream.range(0, 50).boxed().toList(), (Integer i) -> {
            receive(Duration.ofMillis(i == 0 ? 0 : 50), m -> null, () -> null);
            return i;
        }, 8)) {
            first = s.limit(1).toList();
        }
        assertEquals(List.of(0), first);
        assertTrue(info(self()).orElseThrow().links().isEmpty(), "no task left linked");
        long deadline = System.nanoTime() + LONG.toNanos();
        while (count() > before && System.nanoTime() < deadline) {
            receive(Duration.ofMillis(1), m -> null, () -> null);
        }
        // At most as many as before: processes of earlier tests may still be exiting meanwhile.
        int now = count();
        assertTrue(now <= before, "no task left running: " + now + " processes, " + before + " before");
        receive(Duration.ofMillis(80), m -> null, () -> null); // a task that had run on would reply by now
        assertEquals(List.of(), flush());
    }

    @Test
    void awaitManyReturnsResultsInOrderAndExitsOnTheFirstFailure() {
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            tasks.add(Task.async(() -> {
                receive(Duration.ofMillis(5 - n), m -> null, () -> null);
                return n * n;
            }));
        }
        assertEquals(List.of(0, 1, 4, 9, 16), Task.awaitMany(tasks, LONG));
        assertEquals(List.of(), flush());

        CallFailed crashed = callFailure(probe.exitReasonOf(() -> {
            trapExit(true); // outlive the crashing task's link, to see awaitMany's own exit
            Task.awaitMany(List.of(Task.async(() -> waitForGo(1)), Task.async(() -> {
                throw exit(Atom.of("boom"));
            })), LONG);
        }));
        assertEquals(ExitReason.of(Atom.of("boom")), crashed.reason());

        Task<Integer> slow = Task.async(() -> waitForGo(1));
        Exited timeout = assertThrows(Exited.class, () -> Task.awaitMany(List.of(slow), Duration.ofMillis(10)));
        assertEquals(ExitReason.of(Atom.of("timeout")), callFailure(timeout.reason()).reason());
        assertEquals("Task.awaitMany", callFailure(timeout.reason()).function());
        send(slow.pid(), "go");
        probe.expectDown(monitor(slow.pid()));
        assertEquals(List.of(), flush().stream().filter(m -> !(m instanceof Exit)).toList());
    }

    @Test
    void yieldManyReportsEachTaskOrNullWhileRunning() {
        trapExit(true);
        Task<Integer> ok = Task.async(() -> 1);
        Task<Integer> crash = Task.async(() -> {
            throw exit(Atom.of("boom"));
        });
        Task<Integer> slow = Task.async(() -> waitForGo(3));
        probe.expectDown(monitor(ok.pid()));
        probe.expectDown(monitor(crash.pid()));
        List<Task.Outcome<Integer>> out = Task.yieldMany(List.of(ok, crash, slow), Duration.ofMillis(20));
        assertEquals(new Task.Outcome.Ok<>(1), out.get(0));
        assertEquals(new Task.Outcome.Exited<Integer>(ExitReason.of(Atom.of("boom"))), out.get(1));
        assertNull(out.get(2));
        send(slow.pid(), "go");
        assertEquals(new Task.Outcome.Ok<>(3), slow.yield(LONG));
    }

    @Test
    void ignoreLetsTheTaskRunOnUnlinkedAndUnseen() {
        Task<Integer> t = Task.async(() -> waitForGo(1));
        assertNull(t.ignore());
        assertTrue(info(self()).orElseThrow().links().isEmpty());
        send(t.pid(), "go");
        probe.expectDown(monitor(t.pid()));
        assertEquals(List.of(), flush(), "its reply and Down never arrive");
    }

    @Test
    void aCompletedTaskAwaitsAtOnce() {
        Task<String> t = Task.completed("done");
        assertEquals("done", t.await(Duration.ZERO));
        assertEquals(List.of(), flush());
    }

    @Test
    void startAndStartLinkRunWithoutAnOwnerWaiting() {
        Pid me = self();
        Pid a = Task.start(() -> send(me, "a"));
        Pid b = Task.startLink(() -> send(me, "b"));
        assertEquals(java.util.Set.of("a", "b"), java.util.Set.of(
                receive(m -> m instanceof String s ? s : null), receive(m -> m instanceof String s ? s : null)));
        assertNotEquals(a, b);
    }

    @Test
    void asyncStreamWithOptionsKillsSlowTasksAndCanEmitUnordered() {
        Task.StreamOptions options = Task.StreamOptions.DEFAULT.withMaxConcurrency(4)
                .withTimeout(Duration.ofMillis(100)).withKillOnTimeout(true);
        List<Task.Outcome<Integer>> out = Task.asyncStream(List.of(1, 2, 3), (Integer i) -> i == 2 ? waitForGo(i) : i,
                options).toList();
        assertEquals(List.of(new Task.Outcome.Ok<>(1), new Task.Outcome.Exited<Integer>(ExitReason.of(Atom.of("timeout"))),
                new Task.Outcome.Ok<>(3)), out);

        // The first input's task waits until the second's result has been taken from the stream:
        // unordered, the stream must emit that one first (ordered, it would wait for ever).
        Pid me = self();
        java.util.Iterator<Task.Outcome<Integer>> unordered = Task.asyncStream(List.of(30, 0), (Integer n) -> {
            if (n == 30) {
                send(me, new Ready(self()));
                waitForGo(n);
            }
            return n;
        }, Task.StreamOptions.DEFAULT.withOrdered(false).withMaxConcurrency(2)).iterator();
        assertEquals(new Task.Outcome.Ok<>(0), unordered.next());
        Pid slow = receive(m -> m instanceof Ready(Pid p) ? p : null);
        send(slow, "go");
        assertEquals(new Task.Outcome.Ok<>(30), unordered.next());
        assertFalse(unordered.hasNext());
        assertEquals(List.of(), flush());
    }

    @Test
    void aGenServerMatchesTaskRepliesInHandleInfo() {
        Pid me = self();
        Pid server = GenServer.startLink(new GenServer<Task<Integer>>() {
            @Override
            protected Init<Task<Integer>> init() {
                return ok(Task.async(() -> 42));
            }

            @Override
            protected Result<Task<Integer>> handleInfo(Object message, Task<Integer> task) {
                if (message instanceof Task.Reply(io.loomix.Ref ref, Object value) && ref.equals(task.ref())) {
                    demonitor(ref, true);
                    send(me, value);
                }
                return noReply(task);
            }
        });
        assertEquals(42, (int) receive(m -> m instanceof Integer i ? i : null));
        assertNotNull(server);
    }

    @Test
    void taskSupervisorRunsLinkedTasksAndChildrenWithTheirShutdown() {
        trapExit(true);
        Pid sup = TaskSupervisor.startLink();
        Task<Integer> linked = TaskSupervisor.async(sup, () -> 7);
        assertTrue(info(self()).orElseThrow().links().contains(linked.pid()) || !alive(linked.pid()));
        assertEquals(7, linked.await());
        Pid me = self();
        Pid child = TaskSupervisor.startChild(sup, () -> send(me, "ran"), ChildSpec.Shutdown.BRUTAL_KILL);
        assertEquals("ran", receive(m -> m instanceof String s ? s : null));
        assertNotNull(child);
        Task<Integer> hanging = TaskSupervisor.asyncNolink(sup, () -> {
            trapExit(true);
            return waitForGo(1);
        }, ChildSpec.Shutdown.BRUTAL_KILL);
        GenServer.stop(sup, ExitReason.SHUTDOWN, LONG); // brutal: no 5 s wait for the trapping task
        assertEquals(ExitReason.KILLED, probe.expectDown(hanging.ref()).reason());
    }
}

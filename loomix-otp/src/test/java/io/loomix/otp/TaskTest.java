package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.loomix.Process.*;
import static io.loomix.otp.CallFailures.callFailure;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ProcessExtension.class)
class TaskTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    @Test
    void asyncAndAwait() {
        Task<Integer> a = Task.async(() -> 3 * 3);
        Task<Integer> b = Task.async(() -> 4 * 4);
        assertEquals(25, a.await() + b.await());
        assertEquals(List.of(), flush(), "no reply or Down is left behind");
    }

    @Test
    void awaitTimeoutExitsTheCallerAndTheLinkedTaskDiesWithIt() {
        Pid me = self();
        ExitReason r = probe.exitReasonOf(() -> {
            Task<Object> t = Task.async(() -> receive());
            send(me, t.pid());
            t.await(Duration.ofMillis(10));
        });
        Pid task = receive(m -> m instanceof Pid p ? p : null);
        CallFailed f = callFailure(r);
        assertEquals(ExitReason.of(Atom.of("timeout")), f.reason());
        assertEquals("Task.await", f.function());
        probe.expectDown(monitor(task)); // Down(noproc) if it is already gone: either way it does not outlive its owner
        assertFalse(alive(task));
    }

    @Test
    void aCrashingAsyncTaskTakesItsOwnerDown() {
        ExitReason r = probe.exitReasonOf(() -> {
            Task<Object> t = Task.async(() -> {
                throw new IllegalStateException("task failed");
            });
            t.await();
        });
        // The link's exit signal usually wins; if await sees the Down first it exits with the same crash.
        ExitReason crash = r instanceof ExitReason.Term(CallFailed f) ? f.reason() : r;
        assertEquals("task failed", ((ExitReason.Crash) crash).error().getMessage());
    }

    @Test
    void yieldReturnsNullWhileRunningThenTheResult() {
        Task<String> t = Task.async(() -> receive(m -> m instanceof String s ? s : null));
        assertNull(t.yield(Duration.ofMillis(5)));
        send(t.pid(), "done");
        assertEquals(new Task.Outcome.Ok<>("done"), t.yield(Duration.ofSeconds(5)));
    }

    @Test
    void shutdownStopsARunningTask() {
        Task<Object> t = Task.async(() -> receive());
        assertNull(t.shutdown(Duration.ofSeconds(1)));
        assertFalse(alive(t.pid()));
        assertEquals(List.of(), flush());
    }

    @Test
    void onlyTheOwnerMayAwait() {
        Task<Integer> t = Task.async(() -> 1);
        ExitReason r = probe.exitReasonOf(t::await);
        assertInstanceOf(IllegalStateException.class, ((ExitReason.Crash) r).error());
        assertEquals(1, t.await());
    }

    @Test
    void asyncNolinkTasksReportCrashesWithoutKillingTheCaller() {
        Pid sup = TaskSupervisor.startLink();
        Task<Integer> ok = TaskSupervisor.asyncNolink(sup, () -> 42);
        Task<Integer> bad = TaskSupervisor.asyncNolink(sup, () -> {
            throw new IllegalArgumentException("nope");
        });
        assertEquals(42, ok.await());
        Task.Outcome<Integer> outcome = bad.yield(Duration.ofSeconds(5));
        Task.Outcome.Exited<Integer> exited = assertInstanceOf(Task.Outcome.Exited.class, outcome);
        assertEquals("nope", ((ExitReason.Crash) exited.reason()).error().getMessage());
        assertTrue(alive(sup), "a temporary task's crash does not count against the supervisor");
        assertEquals(0, DynamicSupervisor.countChildren(sup).active(), "finished tasks are forgotten");
    }

    @Test
    void awaitOfACrashedNolinkTaskExitsTheCallerWithTheTasksReason() {
        Pid sup = TaskSupervisor.startLink();
        CallFailed f = callFailure(probe.exitReasonOf(() -> TaskSupervisor.asyncNolink(sup, () -> {
            throw new IllegalArgumentException("again");
        }).await()));
        assertEquals("again", ((ExitReason.Crash) f.reason()).error().getMessage());
        assertTrue(alive(sup));
    }

    @Test
    void asyncStreamKeepsOrderAndBoundsConcurrency() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Integer> items = IntStream.range(0, 200).boxed().toList();
        List<Integer> out = Task.asyncStream(items, (Integer i) -> {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            receive(Duration.ofMillis((i * 7) % 3), m -> null, () -> null); // finish out of order
            running.decrementAndGet();
            return i * i;
        }, 8).toList();
        assertEquals(items.stream().map(i -> i * i).toList(), out);
        assertTrue(peak.get() <= 8, "at most 8 tasks at once, saw " + peak.get());
        assertEquals(List.of(), flush());
    }

    @Test
    void aTrappingOwnerSeesItsTasksExit() {
        trapExit(true);
        Task<Integer> t = Task.async(() -> 7);
        assertEquals(7, t.await());
        Exit e = receive(m -> m instanceof Exit x ? x : null);
        assertEquals(ExitReason.NORMAL, e.reason());
    }
}

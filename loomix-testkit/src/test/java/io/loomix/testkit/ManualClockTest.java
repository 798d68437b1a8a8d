package io.loomix.testkit;

import io.loomix.Pid;
import io.loomix.Ref;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Manual time moves the runtime's own timers: sendAfter, readTimer, cancelTimer, receive timeouts
 * and sleeps. After an advance, what fell due is in the mailboxes already, so most checks here
 * look at the mailbox at once (a zero wait) rather than wait for something not to happen.
 */
@ExtendWith(ProcessExtension.class)
class ManualClockTest {
    @RegisterExtension
    final ManualClock clock = ManualClock.create();

    private final Probe probe = Probe.create();

    @Test
    void aSendAfterOfAnHourArrivesAfterAnHourOfManualTimeAndNotBefore() {
        sendAfter(self(), "ring", Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(59));
        probe.expectNoMessage(Duration.ZERO);
        clock.advance(Duration.ofMinutes(1));
        assertEquals(List.of("ring"), flush(), "delivered before advance returned");
        assertEquals(Duration.ofHours(1), clock.now());
    }

    @Test
    void aTimedReceiveTakesItsAfterBranchOnlyOnceItsTimeoutHasPassed() {
        Pid me = self();
        spawnLink(() -> send(me, receive(Duration.ofSeconds(5), m -> "got " + m, () -> "timed out")));
        clock.awaitTimers(1); // it waits in its receive, its timeout counting
        clock.advance(Duration.ofMillis(4_999));
        probe.expectNoMessage(Duration.ofMillis(50));
        clock.advance(Duration.ofMillis(1));
        probe.expectMessage("timed out");
    }

    @Test
    void aSleepEndsOnlyOnceItsTimeHasPassed() {
        Pid me = self();
        spawnLink(() -> {
            sleep(Duration.ofMinutes(1));
            send(me, "woke");
        });
        clock.awaitTimers(1);
        clock.advance(Duration.ofSeconds(59));
        probe.expectNoMessage(Duration.ofMillis(50));
        clock.advance(Duration.ofSeconds(1));
        probe.expectMessage("woke");
    }

    @Test
    void readTimerCountsManualTimeAndACancelledTimerNeverFires() {
        Ref timer = sendAfter(self(), "never", Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(OptionalLong.of(6_000), readTimer(timer));
        assertEquals(OptionalLong.of(6_000), cancelTimer(timer));
        clock.advance(Duration.ofHours(1));
        probe.expectNoMessage(Duration.ZERO);
        assertEquals(0, clock.pendingTimers());
    }

    record Tick(int index, long delaySeconds) {}

    @Test
    void timersDueInOneAdvanceFireInDeadlineOrderThenInTheOrderTheyWereStarted() {
        var started = new ArrayList<Tick>();
        for (int i = 0; i < 200; i++) {
            var tick = new Tick(i, (i * 7_919L) % 50); // 50 deadlines, four timers on each
            started.add(tick);
            sendAfter(self(), tick, Duration.ofSeconds(tick.delaySeconds()));
        }
        sendAfter(self(), "not yet", Duration.ofSeconds(51));
        clock.advance(Duration.ofSeconds(50));
        List<Tick> expected = started.stream().sorted(Comparator.comparingLong(Tick::delaySeconds)).toList();
        assertEquals(expected, flush());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("not yet"), flush());
    }

    @Test
    void aZeroDelayTimerFiresWithoutAnAdvance() {
        sendAfter(self(), "now", Duration.ZERO);
        probe.expectMessage("now");
        assertEquals(Duration.ZERO, clock.now());
    }

    @Test
    void theProbesWaitsStayInRealTime() {
        var quick = Probe.withTimeout(Duration.ofMillis(50));
        long start = System.nanoTime();
        assertThrows(AssertionError.class, quick::expectMessage);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "failed after its real timeout");
        assertEquals(Duration.ZERO, clock.now());
        assertEquals(List.of(), flush(), "the probe's own timeout message is not left behind");
    }

    record Report(Pid to) {}

    record Armed(Pid from) {}

    record Received(Pid from, List<Object> ticks) {}

    /** Stress: timers started from 100 processes at once, on every carrier, swept by one advance. */
    @RepeatedTest(10)
    void manyProcessesWithManyTimersGetEachTimerOnceAndInOrderFromOneAdvance() {
        int processes = 100;
        int timersEach = 100;
        Pid me = self();
        var pids = new ArrayList<Pid>();
        for (int p = 0; p < processes; p++) {
            int seed = p;
            pids.add(spawnLink(() -> {
                for (int i = 0; i < timersEach; i++) {
                    sendAfter(self(), new Tick(i, (seed * 31L + i * 17L) % 3_600), Duration.ofSeconds((seed * 31L + i * 17L) % 3_600));
                }
                send(me, new Armed(self()));
                for (;;) {
                    Pid to = receive(m -> m instanceof Report(Pid t) ? t : null);
                    send(to, new Received(self(), flush()));
                }
            }));
        }
        for (int p = 0; p < processes; p++) {
            probe.expectMessage(Armed.class);
        }
        clock.advance(Duration.ofHours(1));
        for (Pid pid : pids) {
            send(pid, new Report(me));
            Received r = probe.expectReceive(m -> m instanceof Received x && x.from().equals(pid) ? x : null);
            List<Tick> expected = IntStream.range(0, timersEach)
                    .mapToObj(i -> r.ticks().stream().map(Tick.class::cast).filter(t -> t.index() == i).findFirst().orElse(null))
                    .toList();
            assertFalse(expected.contains(null), () -> pid + " missed a timer: " + r.ticks());
            assertEquals(timersEach, r.ticks().size(), () -> pid + " got a timer twice: " + r.ticks());
            List<Object> inOrder = new ArrayList<>(expected);
            inOrder.sort(Comparator.comparingLong(t -> ((Tick) t).delaySeconds()));
            assertEquals(inOrder, r.ticks(), pid + " got its timers out of deadline order");
        }
        clock.advance(Duration.ofHours(1));
        for (Pid pid : pids) {
            send(pid, new Report(me));
            Received r = probe.expectReceive(m -> m instanceof Received x && x.from().equals(pid) ? x : null);
            assertEquals(List.of(), r.ticks(), pid + " got a timer again");
        }
        assertEquals(0, clock.pendingTimers());
    }

    record Outcome(int index, String how) {}

    /**
     * Stress: a message sent before the advance that ends a receive's timeout wins, as in real time
     * (the receive looks at its mailbox before its deadline), on every carrier and every repetition.
     */
    @RepeatedTest(5)
    void aMessageSentBeforeTheAdvanceWinsOverTheTimeoutItEnds() {
        int processes = 200;
        Pid me = self();
        var pids = new ArrayList<Pid>();
        for (int p = 0; p < processes; p++) {
            int index = p;
            pids.add(spawnLink(() -> send(me, new Outcome(index, receive(Duration.ofSeconds(1), m -> "got", () -> "timed out")))));
        }
        clock.awaitTimers(processes);
        for (int p = 0; p < processes; p += 2) {
            send(pids.get(p), "wake");
        }
        clock.advance(Duration.ofSeconds(1));
        var outcomes = new String[processes];
        for (int p = 0; p < processes; p++) {
            Outcome o = probe.expectMessage(Outcome.class);
            assertNull(outcomes[o.index()], "two outcomes from one receive");
            outcomes[o.index()] = o.how();
        }
        for (int p = 0; p < processes; p++) {
            assertEquals(p % 2 == 0 ? "got" : "timed out", outcomes[p], "process " + p);
        }
    }
}

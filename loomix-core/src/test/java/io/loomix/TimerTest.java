package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

class TimerTest {
    @Test
    void sendAfterDeliversAndCancelReportsTimeLeft() {
        run(() -> {
            sendAfter(self(), "tick", Duration.ofMillis(10));
            assertEquals("tick", receive());
            Ref ref = sendAfter(self(), "never", Duration.ofSeconds(60));
            long left = cancelTimer(ref).orElseThrow();
            assertTrue(left > 50_000 && left <= 60_000, "left " + left);
            assertEquals("none", receive(30, m -> m, () -> "none"));
            assertTrue(cancelTimer(ref).isEmpty());
        });
    }

    @Test
    void cancelAfterFiringIsEmpty() {
        run(() -> {
            Ref ref = sendAfter(self(), "fired", Duration.ZERO);
            assertEquals("fired", receive());
            assertTrue(cancelTimer(ref).isEmpty());
        });
    }

    @Test
    void timersFireInDeadlineOrderAndNeverEarly() {
        run(() -> {
            // A timer's deadline is fixed inside sendAfter, so it lies between the clock before
            // and after the call; the process may also be held up between two calls.
            java.util.Map<Integer, long[]> deadline = new java.util.HashMap<>();
            for (int i = 5; i >= 1; i--) {
                long before = System.nanoTime();
                sendAfter(self(), i, Duration.ofMillis(i * 3L));
                long after = System.nanoTime();
                deadline.put(i, new long[] {before + i * 3_000_000L, after + i * 3_000_000L});
            }
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = (Integer) receive();
                assertTrue(System.nanoTime() - deadline.get(n)[0] >= 0, "timer " + n + " fired before its deadline");
                got.add(n);
            }
            // In deadline order, to the wheel's 1 ms tick: timers due within one tick may swap.
            for (int i = 1; i < got.size(); i++) {
                long firstEarliest = deadline.get(got.get(i - 1))[0];
                long secondLatest = deadline.get(got.get(i))[1];
                assertTrue(firstEarliest - secondLatest <= 1_000_000L, "timer " + got.get(i - 1)
                        + " fired before timer " + got.get(i) + " although its deadline was later by "
                        + (firstEarliest - secondLatest) / 1000 + " us or more");
            }
        });
    }

    @Test
    void nameIsLookedUpWhenTheTimerFires() {
        run(() -> {
            Pid me = self();
            sendAfter(Atom.of("late_registrant"), "hello", Duration.ofMillis(30));
            Pid p = spawn(() -> send(me, "got " + receive()));
            register("late_registrant", p);
            assertEquals("got hello", receive());
        });
    }

    @Test
    void badDestinationsAndDelaysAreBadarg() {
        run(() -> {
            assertThrows(IllegalArgumentException.class, () -> sendAfter("a string", "x", Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> sendAfter(self(), "x", Duration.ofMillis(-1)));
        });
    }

    @Test
    void manyPendingTimersAndReceiveTimeouts() {
        run(() -> {
            int n = 200_000;
            List<Ref> refs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                refs.add(sendAfter(self(), "late", Duration.ofHours(1)));
            }
            Pid me = self();
            int waiters = 10_000;
            for (int i = 0; i < waiters; i++) {
                spawn(() -> send(me, receive(Duration.ofMillis(20), m -> m, () -> "timed out")));
            }
            for (int i = 0; i < waiters; i++) {
                assertEquals("timed out", receive(m -> "timed out".equals(m) ? m : null));
            }
            int cancelled = 0;
            for (Ref r : refs) {
                cancelled += cancelTimer(r).isPresent() ? 1 : 0;
            }
            assertEquals(n, cancelled);
        });
    }
}

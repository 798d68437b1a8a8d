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
            long start = System.nanoTime();
            for (int i = 5; i >= 1; i--) {
                sendAfter(self(), i, Duration.ofMillis(i * 3L));
            }
            List<Object> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(receive());
            }
            assertEquals(List.of(1, 2, 3, 4, 5), got);
            assertTrue(System.nanoTime() - start >= 15_000_000L, "the last timer fired before its 15 ms deadline");
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

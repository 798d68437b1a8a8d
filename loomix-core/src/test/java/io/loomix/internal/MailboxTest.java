package io.loomix.internal;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The mailbox list by itself: removal from the middle, tombstones, and many producers. */
class MailboxTest {
    static final class Box extends Mailbox {
        /** Takes the first message accepted by {@code want}, as receive walks the list. */
        Object take(java.util.function.Predicate<Object> want) {
            Node prev = head;
            for (Node n = prev.next; n != null; n = prev.next) {
                if (n.message == null) {
                    prev = unlink(prev, n);
                    continue;
                }
                if (want.test(n.message)) {
                    Object m = n.message;
                    remove(prev, n);
                    return m;
                }
                prev = n;
            }
            return null;
        }
    }

    @Test
    void removingFromTheMiddleKeepsTheRestInOrder() {
        Box box = new Box();
        for (int i = 0; i < 10; i++) {
            box.enqueue(i);
        }
        assertEquals(5, box.take(m -> (int) m == 5));
        assertEquals(9, box.take(m -> (int) m == 9)); // the last node stays as a tombstone
        assertEquals(0, box.take(m -> (int) m == 0));
        assertEquals(7, box.queueLength());
        box.enqueue(10);
        assertEquals(List.of(1, 2, 3, 4, 6, 7, 8, 10), box.drainAll());
        assertEquals(0, box.queueLength());
    }

    @Test
    void aMarkerWalkSeesOnlyLaterMessagesEvenAfterUnlinking() {
        Box box = new Box();
        box.enqueue("old-1");
        box.enqueue("old-2");
        Mailbox.Node marker = box.currentTail();
        box.enqueue("new-1");
        box.enqueue("new-2");
        box.take("old-2"::equals); // unlinks nodes around the marker
        List<Object> after = new ArrayList<>();
        for (Mailbox.Node n = marker.next; n != null; n = n.next) {
            if (n.message != null) {
                after.add(n.message);
            }
        }
        assertEquals(List.of("new-1", "new-2"), after);
    }

    @RepeatedTest(5)
    void manyProducersOneSelectiveConsumer() throws Exception {
        Box box = new Box();
        int producers = 8;
        int each = 10_000;
        List<Thread> ts = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    box.enqueue(new int[] {id, i});
                }
            }));
        }
        int[] next = new int[producers];
        int taken = 0;
        while (taken < producers * each) {
            // Alternate between taking producer 0's messages and anybody's, racing the producers.
            Object m = box.take(o -> ((int[]) o)[0] == 0 || next[0] == each);
            if (m == null) {
                m = box.take(o -> true);
            }
            if (m != null) {
                int[] v = (int[]) m;
                assertEquals(next[v[0]]++, v[1], "order from producer " + v[0]);
                taken++;
            }
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, box.queueLength());
    }
}

package io.loomix.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The wake-up handshake between a sender and a receiver that is about to park, as a litmus test
 * in the manner of JCStress: two threads race over fresh mailboxes, released together batch by
 * batch. The sender enqueues (Mailbox.enqueue, the real code) and then reads the receiver's state;
 * the receiver stores WAITING and then looks at its mailbox. A wake-up is lost when the sender
 * reads "not waiting" while the receiver finds nothing: the receiver would park with a message
 * queued and nobody to wake it.
 *
 * <p>Looked at through {@code last.next} (what Proc.await did before), the outcome is allowed:
 * the sender's link is a release store followed by a load, which x86 may reorder. Looked at
 * through the tail (what Proc.await does now), it is forbidden: the sender's tail swap is a
 * volatile read-modify-write that precedes its load of the state.
 */
class WakeUpLitmusTest {
    /** Small batches, each started by a spin barrier, keep the two threads on the same slots. */
    private static final int BATCH = 32;
    private static final int BATCHES = 6_000;
    private static final int RUNNING = 0;
    private static final int WAITING = 1;

    @Test
    void theTailNeverMissesASenderThatMissedTheWaitingReceiver() throws Exception {
        int n = BATCH * BATCHES;
        Mailbox[] boxes = new Mailbox[n];
        Mailbox.Node[] last = new Mailbox.Node[n];
        for (int i = 0; i < n; i++) {
            boxes[i] = new Mailbox() {};
            last[i] = boxes[i].currentTail();
        }
        AtomicIntegerArray state = new AtomicIntegerArray(n);
        int[] senderSaw = new int[n];
        boolean[] tailUnchanged = new boolean[n];
        boolean[] nextEmpty = new boolean[n];
        AtomicInteger arrivals = new AtomicInteger();
        Thread sender = Thread.ofPlatform().start(() -> {
            for (int b = 0; b < BATCHES; b++) {
                arrive(arrivals, b);
                for (int i = b * BATCH; i < (b + 1) * BATCH; i++) {
                    boxes[i].enqueue("message");
                    senderSaw[i] = state.get(i);
                }
            }
        });
        for (int b = 0; b < BATCHES; b++) {
            arrive(arrivals, b);
            for (int i = b * BATCH; i < (b + 1) * BATCH; i++) {
                state.set(i, WAITING);
                nextEmpty[i] = last[i].next == null;
                tailUnchanged[i] = boxes[i].currentTail() == last[i];
            }
        }
        sender.join();
        long viaTail = 0;
        long viaNext = 0;
        for (int i = 0; i < n; i++) {
            if (senderSaw[i] == RUNNING) {
                viaTail += tailUnchanged[i] ? 1 : 0;
                viaNext += nextEmpty[i] ? 1 : 0;
            }
        }
        System.out.println("WakeUpLitmusTest: lost wake-ups through last.next " + viaNext
                + ", through the tail " + viaTail + " in " + n + " races");
        assertEquals(0, viaTail, "a receiver that checks the tail missed a sender that missed it");
    }

    /** A spin barrier for two threads: batch {@code b} starts when both have arrived at it. */
    private static void arrive(AtomicInteger arrivals, int b) {
        arrivals.incrementAndGet();
        while (arrivals.get() < 2 * (b + 1)) {
            Thread.onSpinWait();
        }
    }
}

package io.loomix.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's message queue: many senders, one receiver, oldest first, with removal from the
 * middle for selective receive.
 *
 * <p>It is Vyukov's intrusive MPSC list: a sender swaps itself in as {@code tail} (one atomic
 * swap, so messages from one sender stay in order) and then links the old tail to itself. The
 * receiver owns everything reachable from {@code head}, a consumed stub. A message taken from the
 * middle becomes a tombstone ({@code message == null}) and is unlinked once it has a successor;
 * only the last node must stay, because a sender may be about to link it.
 *
 * <p>Unlinking never changes a node's successor to anything but a later node, so a walk that
 * starts from a node unlinked since (the receive marker) still visits every live message after it.
 */
abstract class Mailbox {
    static final class Node {
        Object message;
        volatile Node next;

        Node(Object message) {
            this.message = message;
        }
    }

    private static final VarHandle TAIL;
    private static final VarHandle ENQUEUED;
    private static final VarHandle NODE_NEXT;
    private static final VarHandle DEQUEUED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(Mailbox.class, "tail", Node.class);
            ENQUEUED = l.findVarHandle(Mailbox.class, "enqueued", long.class);
            NODE_NEXT = l.findVarHandle(Node.class, "next", Node.class);
            DEQUEUED = l.findVarHandle(Mailbox.class, "dequeued", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Receiver only: the stub before the oldest message. */
    Node head;
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Node tail;
    @SuppressWarnings("unused") // accessed through ENQUEUED
    private volatile long enqueued;
    /** Written by the receiver only (opaque); read by others for the queue length. */
    @SuppressWarnings("unused") // accessed through DEQUEUED
    private long dequeued;

    Mailbox() {
        Node stub = new Node(null);
        head = stub;
        tail = stub;
    }

    /** Any thread: appends a message. */
    final void enqueue(Object message) {
        Node node = new Node(message);
        ENQUEUED.getAndAdd(this, 1L);
        Node prev = (Node) TAIL.getAndSet(this, node);
        NODE_NEXT.setRelease(prev, node);
    }

    /** Any thread: the number of messages waiting. */
    final long queueLength() {
        return Math.max(0, (long) ENQUEUED.getVolatile(this) - (long) DEQUEUED.getOpaque(this));
    }

    /**
     * Any thread: the newest node now, a marker after which only later messages lie. A sender's
     * swap of the tail is its first visible step, so a receiver that sees the tail unchanged after
     * announcing that it waits knows that any later sender will see it waiting (see Proc.await).
     */
    final Node currentTail() {
        return (Node) TAIL.getVolatile(this);
    }

    /**
     * Receiver: removes the message in {@code node}, which follows {@code prev} on the receiver's
     * walk, and returns the node the walk continues from (prev, or the new head).
     */
    final Node remove(Node prev, Node node) {
        node.message = null;
        countDequeued();
        return unlink(prev, node);
    }

    private void countDequeued() {
        DEQUEUED.setOpaque(this, (long) DEQUEUED.getOpaque(this) + 1);
    }

    /** Receiver: drops the tombstone {@code node} from the list where that is safe; returns the walk's position. */
    final Node unlink(Node prev, Node node) {
        if (prev == head) {
            head = node;
            return node;
        }
        Node after = node.next;
        if (after != null) {
            prev.next = after;
            return prev;
        }
        return node;
    }

    /** Receiver: removes every message, oldest first. */
    final List<Object> drainAll() {
        List<Object> out = new ArrayList<>();
        for (Node n = head.next; n != null; n = head.next) {
            if (n.message != null) {
                out.add(n.message);
                n.message = null;
                countDequeued();
            }
            head = n;
        }
        return out;
    }
}

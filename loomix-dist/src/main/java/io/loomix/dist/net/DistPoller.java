package io.loomix.dist.net;

import io.loomix.internal.remote.IdlePoller;
import io.loomix.internal.remote.RuntimeHooks;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The distribution sockets of every connection in this JVM, read by the scheduler's own
 * carriers (see {@link IdlePoller}), as BEAM's schedulers poll their ports: a frame is read,
 * decoded and delivered on the carrier that saw it ready, and the process it wakes runs there
 * next, with no reader thread handing it over. One selector; one thread at a time polls it (a
 * lock taken with tryLock, so a carrier never waits for another's poll), which also keeps each
 * connection's frames in order.
 *
 * <p>{@code -Dloomix.dist.carrierPoll=false} reads with a thread per connection instead (as
 * before), and so does every connection when processes run on the JDK's default scheduler.
 */
final class DistPoller implements IdlePoller {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");
    /** Whether connections are read by the carriers (false: by a reader thread each). */
    static final boolean ENABLED = !"false".equals(System.getProperty("loomix.dist.carrierPoll"));
    /** Reads per connection per poll at most (64 KiB each), so one busy peer cannot hold up the rest. */
    private static final int READS_PER_POLL = 4;
    /** How long a carrier about to wait in the poller waits for a thread that polls it now. */
    private static final long LOCK_WAIT_NANOS = 200_000;

    private static DistPoller shared;
    private static boolean unavailable;

    private final Selector selector;
    private final ReentrantLock polling = new ReentrantLock();
    /** Connections to register, by the next thread to poll (registering while a select waits blocks on old JDKs). */
    private final ConcurrentLinkedQueue<Connection> joining = new ConcurrentLinkedQueue<>();
    /** Connections whose senders queued frames for the next poll to write (see Connection#flushQueued). */
    private final ConcurrentLinkedQueue<Connection> flushes = new ConcurrentLinkedQueue<>();

    private DistPoller(Selector selector) {
        this.selector = selector;
    }

    /**
     * The poller, installed in the scheduler on first use; null when connections must use reader
     * threads: turned off, processes on the JDK's default scheduler, or no selector to be had.
     */
    static synchronized DistPoller shared() {
        if (shared != null || unavailable || !ENABLED) {
            return shared;
        }
        try {
            DistPoller p = new DistPoller(Selector.open());
            if (RuntimeHooks.installIdlePoller(p)) {
                shared = p;
            } else {
                p.selector.close();
                unavailable = true;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Distribution reads with a thread per connection: no selector (" + e + ")");
            unavailable = true;
        }
        return shared;
    }

    /** Starts polling {@code c}'s channel (already non-blocking). Any thread. */
    void add(Connection c) {
        joining.add(c);
        selector.wakeup();
    }

    /** Queues {@code c}'s frames to be written by the next thread that polls. Any thread. */
    void flushLater(Connection c) {
        flushes.add(c);
    }

    /** Writes the queues of the connections waiting for it (a bounded number: senders may add more meanwhile). */
    private void flush() {
        for (int i = 0; i < 64; i++) {
            Connection c = flushes.poll();
            if (c == null) {
                return;
            }
            c.flushQueued();
        }
    }

    /** A connection closed: the selector lets go of its socket at its next select. Any thread. */
    void removed() {
        selector.wakeup();
    }

    @Override
    public boolean pollNow() {
        flush();
        if (!polling.tryLock()) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(selectAndHandle(true, 0));
        } finally {
            polling.unlock();
        }
    }

    @Override
    public boolean await(long nanos) {
        try {
            // A thread that polls now holds the lock for a moment: waiting that long beats parking
            // with nobody watching the sockets.
            if (!polling.tryLock(LOCK_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            flush();
            return selectAndHandle(false, nanos) != null;
        } finally {
            polling.unlock();
        }
    }

    /**
     * Holds the lock: registers new connections, selects ({@code now}: without waiting; else up to
     * {@code nanos}, 0 for until input or a wakeup) and handles what is ready. Whether any input
     * was handled, or null when polling failed (logged).
     */
    private Boolean selectAndHandle(boolean now, long nanos) {
        try {
            register();
            int ready = now ? selector.selectNow()
                    : nanos <= 0 ? selector.select() : selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            return ready > 0 && handle();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Polling the distribution sockets failed", e);
            return null;
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    /** Holds the lock. */
    private void register() {
        for (Connection c; (c = joining.poll()) != null; ) {
            try {
                c.channel().register(selector, SelectionKey.OP_READ, c);
            } catch (ClosedChannelException e) {
                // closed before its first poll: its closer has told the handler
            }
        }
    }

    /** Holds the lock: reads every ready connection. */
    private boolean handle() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        boolean any = false;
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (k.isValid()) {
                ((Connection) k.attachment()).readReady(READS_PER_POLL);
                any = true;
            }
        }
        return any;
    }
}

package io.loomix.dist.net;

import io.loomix.dist.handshake.Handshake;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One distribution connection after its handshake: 4-byte framed messages both ways, ticks, and
 * the join of fragments. Senders hand in whole frames (already encoded, on their own thread) with
 * {@link #send}; one writer thread per connection drains them into a buffer and writes the buffer
 * once the queue is empty, so a burst of messages costs one system call, not one each. Frames from
 * one thread are written in the order it sent them. One reader thread reads frames and hands whole
 * messages to the {@link Handler}.
 *
 * <p>Liveness as Erlang's net_ticktime T: every T/4 an idle writer sends a tick (an empty frame),
 * and a peer from which nothing arrived for four such intervals is dropped.
 */
public final class Connection {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("loomix-dist-ticker").factory());
    private static final byte[] TICK = new byte[4];
    private static final int BUFFER = 64 * 1024;

    /** What the connection hands upward; called on its reader thread (onClose: on whichever closes it). */
    public interface Handler {
        /** A whole message; throwing ProtocolException closes the connection with its reason. */
        void onMessage(Connection c, Inbound message) throws ProtocolException;

        /** The connection is gone, once, with the reason why. */
        void onClose(Connection c, String reason);
    }

    /** @param tickTime Erlang's net_ticktime; @param maxMessage the largest message (or fragment set) accepted */
    public record Options(Duration tickTime, int maxMessage) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(60), 64 << 20);

        public Options {
            if (tickTime.toMillis() < 4) {
                throw new IllegalArgumentException("tick time must be at least 4 ms, was " + tickTime);
            }
            if (maxMessage < 1024) {
                throw new IllegalArgumentException("the message size limit must be at least 1024 bytes, was " + maxMessage);
            }
        }
    }

    private final Socket socket;
    private final Handshake.Result peer;
    private final Options options;
    private final Handler handler;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean writerParked = new AtomicBoolean();
    private volatile Thread writer;
    private volatile long reads;
    private volatile long writes;
    /** Writes that reached the socket (system calls), against {@link #writes} frames: the batching. */
    private volatile long socketWrites;
    private long readsAtLastTick;
    private long writesAtLastTick;
    private int silentTicks;
    private ScheduledFuture<?> ticking;

    public Connection(Socket socket, Handshake.Result peer, Options options, Handler handler) {
        this.socket = Objects.requireNonNull(socket);
        this.peer = Objects.requireNonNull(peer);
        this.options = Objects.requireNonNull(options);
        this.handler = Objects.requireNonNull(handler);
    }

    /** Starts the reader, the writer and the ticks. */
    public void start() {
        try {
            socket.setSoTimeout(0);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            close("cannot set up the socket: " + e);
            return;
        }
        writer = Thread.ofPlatform().daemon().name("loomix-dist-out-" + peer.peerName()).start(this::writeLoop);
        Thread.ofPlatform().daemon().name("loomix-dist-in-" + peer.peerName()).start(this::readLoop);
        long every = Math.max(1, options.tickTime().toMillis() / 4);
        ticking = TICKER.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    public Handshake.Result peer() {
        return peer;
    }

    public String peerName() {
        return peer.peerName();
    }

    public long flags() {
        return peer.agreedFlags();
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Queues a frame (its first four bytes the big-endian length of the rest) for writing.
     * Any thread; never blocks; dropped when the connection is closed, as Erlang drops them.
     */
    public void send(byte[] frame) {
        if (closed.get()) {
            return;
        }
        queue.offer(frame);
        if (writerParked.get() && writerParked.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    /** Closes the socket; the handler hears {@code reason} once. Any thread. */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ticking != null) {
            ticking.cancel(false);
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
        queue.clear();
        handler.onClose(this, reason);
    }

    private void writeLoop() {
        try {
            OutputStream raw = socket.getOutputStream();
            OutputStream out = new BufferedOutputStream(new java.io.FilterOutputStream(raw) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    socketWrites++;
                    raw.write(b, off, len);
                }
            }, BUFFER);
            while (!closed.get()) {
                byte[] frame = queue.poll();
                if (frame != null) {
                    out.write(frame);
                    writes++;
                    continue;
                }
                out.flush();
                writerParked.set(true);
                // a frame queued between poll and set saw no parked writer: look once more
                if (!queue.isEmpty()) {
                    writerParked.set(false);
                    continue;
                }
                while (writerParked.get() && !closed.get()) {
                    LockSupport.park(this);
                }
            }
        } catch (IOException e) {
            close(closed.get() ? "closed" : "write failed: " + e.getMessage());
        }
    }

    private void readLoop() {
        Fragments fragments = new Fragments(options.maxMessage());
        try {
            var in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
            while (!closed.get()) {
                int len = in.readInt();
                reads++;
                if (len == 0) {
                    continue; // a tick
                }
                if (len < 0 || len > options.maxMessage()) {
                    throw new ProtocolException("a frame of " + Integer.toUnsignedString(len)
                            + " bytes exceeds the limit of " + options.maxMessage());
                }
                byte[] frame = new byte[len];
                in.readFully(frame);
                Inbound message = fragments.accept(frame);
                if (message != null) {
                    handler.onMessage(this, message);
                }
            }
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, "Closing the connection to " + peerName() + ": " + e.getMessage());
            close("protocol error: " + e.getMessage());
        } catch (IOException e) {
            close(closed.get() ? "closed" : "connection lost: " + (e instanceof java.io.EOFException ? "closed by the peer" : e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Closing the connection to " + peerName() + " after an internal error", e);
            close("internal error: " + e);
        }
    }

    /** Frames written and socket writes made so far (writer thread's counts; for tests). */
    long[] writeCounts() {
        return new long[] {writes, socketWrites};
    }

    /** Ticker thread only. */
    private void tick() {
        long r = reads;
        long w = writes;
        if (r == readsAtLastTick) {
            if (++silentTicks >= 4) {
                LOG.log(System.Logger.Level.WARNING, "Node " + peerName() + " not responding: nothing came for "
                        + options.tickTime().toMillis() + " ms (net_ticktime); disconnecting");
                close("net_tick_timeout");
                return;
            }
        } else {
            silentTicks = 0;
        }
        readsAtLastTick = r;
        if (w == writesAtLastTick && queue.isEmpty()) {
            send(TICK);
        }
        writesAtLastTick = writes;
    }
}

package io.loomix.dist.net;

import io.loomix.dist.handshake.Handshake;
import io.loomix.internal.remote.RuntimeHooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One distribution connection after its handshake: 4-byte framed messages both ways, ticks, and
 * the join of fragments. Senders hand in whole frames (already encoded, on their own thread) with
 * {@link #send}. A lone frame on an idle connection is written by its sender (no hand-over to
 * another thread on the way out: what a round trip waits for); a stream of them is queued for one
 * writer thread per connection, which gathers everything queued into one buffer and writes it at
 * once, so a burst of messages costs one system call, not one each. Frames from one thread are
 * written in the order it sent them. Whole messages go to the {@link Handler} in the order
 * they came.
 *
 * <p>Reading: a socket made from a {@link SocketChannel} is read by the scheduler's carriers
 * ({@link DistPoller}): after the handshake the channel turns non-blocking, and a frame is decoded
 * and delivered on the carrier that found it ready. Writes are then non-blocking too: what the
 * socket does not take at once waits, in order before anything later, for the writer thread,
 * which waits until the socket can take more; no sender ever blocks on the socket. A plain
 * {@link Socket} (or {@code -Dloomix.dist.carrierPoll=false}, or processes on the JDK's default
 * scheduler) is read by a reader thread of its own and written with blocking writes.
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
    /** A write this soon after the previous one, with nothing read between, is part of a stream. */
    static final long STREAM_GAP_NANOS = 50_000;
    /** The longest a suspended sender parks before it looks at the backlog itself again. */
    private static final long BUSY_PARK_NANOS = 100_000_000L;

    /**
     * What the connection hands upward; called on its reader thread or the carrier that polled it,
     * one message at a time (onClose: on whichever closes it). A message's bytes are the reader's
     * buffer: read them before onMessage returns. onMessage must not block: on a carrier it holds
     * up the processes queued there and every other connection's input.
     */
    public interface Handler {
        /** A whole message; throwing ProtocolException closes the connection with its reason. */
        void onMessage(Connection c, Inbound message) throws ProtocolException;

        /** The connection is gone, once, with the reason why. */
        void onClose(Connection c, String reason);
    }

    /**
     * @param tickTime   Erlang's net_ticktime
     * @param maxMessage the largest message (or fragment set) accepted
     * @param busyLimit  Erlang's dist_buf_busy_limit: while more bytes than this wait for the socket,
     *                   a process that sends on the connection is suspended until they drain
     */
    public record Options(Duration tickTime, int maxMessage, int busyLimit) {
        /** BEAM's default dist_buf_busy_limit ({@code +zdbbl 1024}). */
        public static final int DEFAULT_BUSY_LIMIT = 1 << 20;
        public static final Options DEFAULT = new Options(Duration.ofSeconds(60), 64 << 20);

        public Options(Duration tickTime, int maxMessage) {
            this(tickTime, maxMessage, DEFAULT_BUSY_LIMIT);
        }

        public Options {
            if (busyLimit < 1024) {
                throw new IllegalArgumentException("the busy limit must be at least 1024 bytes, was " + busyLimit);
            }
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
    /**
     * Bytes handed to {@link #send} that are not on the socket yet (in {@link #queue} or
     * {@link #unsent}): over {@link Options#busyLimit} the connection is busy, and processes that
     * send on it wait in {@link #busyWaiters}.
     */
    private final AtomicLong backlog = new AtomicLong();
    private final ConcurrentLinkedQueue<Thread> busyWaiters = new ConcurrentLinkedQueue<>();
    /** How often a sender was suspended on this busy connection (BEAM's busy_dist_port events). */
    private final AtomicLong busySuspensions = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean writerParked = new AtomicBoolean();
    /** Polled mode: this connection waits in the poller's list of queues to write (see {@link #flushQueued}). */
    private final AtomicBoolean flushPending = new AtomicBoolean();
    /** Held by whoever writes to the socket: the writer thread for a batch, or a sender writing directly. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Where queued frames are gathered for one write; guarded by writeLock. */
    private final byte[] batch = new byte[BUFFER];
    private volatile Thread writer;
    private volatile Thread reader;
    private OutputStream out;
    /** The non-blocking channel the carriers poll, or null (a reader thread reads the socket). */
    private SocketChannel channel;
    private DistPoller poller;
    /** Polled mode: cuts the input into frames; the polling thread's. */
    private FrameReader frameReader;
    private Fragments fragments;
    private final FrameReader.Sink polledFrames = (b, at, len) -> frame(fragments, b, at, len);
    /** Polled mode: the thread that runs this connection's poll now (its answers are queued, as the reader's). */
    private volatile Thread polledBy;
    /**
     * Polled mode, guarded by writeLock: bytes accepted for the socket that it did not take yet,
     * in order; nothing else may be written before them. The writer thread writes them once the
     * socket can take more.
     */
    private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
    /** Whether {@link #unsent} has anything (read without the lock by senders and the writer). */
    private volatile boolean blocked;
    /** Polled mode: where the writer waits until the socket takes more; the writer's. */
    private volatile Selector writable;
    /** Guarded by writeLock: {@link #reads} and the time at the last socket write. */
    private volatile long readsAtLastWrite;
    private volatile long lastWrite;
    private volatile long reads;
    private volatile long writes;
    /** Writes that reached the socket (system calls), against {@link #writes} frames: the batching. */
    private volatile long socketWrites;
    /** Frames written by their senders rather than the writer thread. */
    private volatile long directWrites;
    /** Frames a sender wrote after its own, for senders that had found the lock held. */
    private volatile long writtenForOthers;
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

    /** Starts the reading (polled, or a reader thread), the writer and the ticks. */
    public void start() {
        DistPoller p = socket.getChannel() != null ? DistPoller.shared() : null;
        try {
            socket.setSoTimeout(0);
            socket.setTcpNoDelay(true);
            if (p != null) {
                // The handshake read exactly its own bytes (no read-ahead), so the channel starts at a frame.
                socket.getChannel().configureBlocking(false);
                channel = socket.getChannel();
                frameReader = new FrameReader(options.maxMessage());
                fragments = new Fragments(options.maxMessage());
            } else {
                out = socket.getOutputStream();
            }
        } catch (IOException e) {
            close("cannot set up the socket: " + e);
            return;
        }
        writer = Thread.ofPlatform().daemon().name("loomix-dist-out-" + peer.peerName()).start(this::writeLoop);
        if (p != null) {
            poller = p;
            p.add(this);
        } else {
            Thread in = Thread.ofPlatform().daemon().name("loomix-dist-in-" + peer.peerName()).unstarted(this::readLoop);
            reader = in; // before it runs: its answers to signals must see that they come from the reader
            in.start();
        }
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
     * Writes a frame (its first four bytes the big-endian length of the rest), or queues it for the
     * writer thread. Any thread; dropped when the connection is closed, as Erlang drops them.
     *
     * <p>A frame goes out on the caller's thread, one system call and no hand-over to the writer,
     * when nothing is queued, nobody is writing, and the connection is not streaming: something
     * was read since the last write (a request or a reply came) or nothing was written for
     * {@link #STREAM_GAP_NANOS}. A sender that streams queues instead, and the writer turns
     * its burst into few writes. A sender that finds another one writing queues its frame and
     * wakes nobody: the one writing writes what was queued meanwhile, in one system call, once
     * it has let go of the lock (16 processes spawning or calling on a peer at once batch their
     * frames this way, without a hand-over to the writer thread per frame). With a reader thread,
     * a direct write can block the caller while the peer's socket buffer is full; polled, it never
     * blocks (what the socket does not take goes to the writer thread). The reader (answering a
     * signal) never writes itself, so two nodes whose buffers are full cannot both stop reading.
     *
     * <p>Busy: while more than {@link Options#busyLimit} bytes wait for the socket, a process that
     * sends here is suspended after handing in its frame until they drain below the limit (or the
     * connection closes), as BEAM suspends a process on a busy distribution port; an exit signal
     * still ends it. Threads that are not processes, the reader, and a process sending its last
     * signals as it exits are never suspended.
     */
    public void send(byte[] frame) {
        if (closed.get()) {
            return;
        }
        offer(frame);
        if (backlog.get() > options.busyLimit()) {
            suspendWhileBusy();
        }
    }

    private void offer(byte[] frame) {
        boolean mayWrite = writer != null && !streaming() && !blocked && !reading();
        if (mayWrite && queue.isEmpty() && writeLock.tryLock()) {
            boolean written = false;
            try {
                try {
                    // the writer takes the lock before it drains, so an empty queue here means
                    // every frame queued before this one is already on the socket (or in unsent)
                    if (queue.isEmpty() && !blocked) {
                        writeDirect(frame);
                        written = true;
                    }
                } finally {
                    writeLock.unlock();
                }
                if (written) {
                    writeQueued();
                    return;
                }
            } catch (RuntimeException | Error e) {
                // An exit raised at a yield point in a process writing here: what others queued
                // meanwhile, counting on it to look again, goes to the writer thread.
                if (!queue.isEmpty() || blocked) {
                    wakeWriter();
                }
                throw e;
            }
        }
        backlog.addAndGet(frame.length);
        queue.offer(frame);
        if (mayWrite && writeLock.isLocked()) {
            // Whoever holds the lock looks at the queue again after letting go (writeQueued, the
            // writer's loop, flushQueued) and writes this frame then: no wake-up of the writer thread.
            return;
        }
        if (poller != null && !blocked && RuntimeHooks.selfOrNull() != null) {
            // A process streams (or answers a burst of requests polled at once): its carrier, or
            // another, writes the queue when it next looks for work, as BEAM's scheduler flushes a
            // distribution port; no thread is woken per burst.
            if (!flushPending.get() && flushPending.compareAndSet(false, true)) {
                poller.flushLater(this);
            }
            return;
        }
        wakeWriter();
    }

    /**
     * Polled mode, on a carrier looking for work (or the ticker): writes what processes queued,
     * without waiting; what the socket does not take goes to the writer thread.
     */
    void flushQueued() {
        flushPending.set(false);
        if (blocked) {
            wakeWriter();
            return;
        }
        if (queue.isEmpty() || closed.get() || !writeLock.tryLock()) {
            return; // nothing waits, or the holder looks again after letting go
        }
        try {
            drain(batch, Long.MAX_VALUE);
        } catch (IOException e) {
            close(closed.get() ? "closed" : "write failed: " + e.getMessage());
        } finally {
            writeLock.unlock();
        }
        if (blocked) {
            wakeWriter();
        } else if (!queue.isEmpty() && !flushPending.get() && flushPending.compareAndSet(false, true)) {
            poller.flushLater(this); // queued by senders that saw the lock held: the next look writes it
        }
    }

    /**
     * A process that sent on a busy connection waits here until the backlog is back under the
     * limit or the connection closes; the writer thread drains it meanwhile. Parks with a bound,
     * so that a release it missed costs at most that long; a kill interrupts the park.
     */
    private void suspendWhileBusy() {
        if (reading() || !RuntimeHooks.selfMaySuspend()) {
            return;
        }
        Thread me = Thread.currentThread();
        busyWaiters.add(me);
        busySuspensions.incrementAndGet();
        RuntimeHooks.selfSuspended(true);
        try {
            while (backlog.get() > options.busyLimit() && !closed.get()) {
                wakeWriter();
                LockSupport.parkNanos(this, BUSY_PARK_NANOS);
                Thread.interrupted(); // a kill interrupts: the check below ends the process
                RuntimeHooks.selfCheckExit();
            }
        } finally {
            RuntimeHooks.selfSuspended(false);
            busyWaiters.remove(me);
        }
    }

    /** After bytes went to the socket, or on close: resumes the suspended senders if no longer busy. */
    private void releaseBusy() {
        if (!busyWaiters.isEmpty() && (backlog.get() <= options.busyLimit() || closed.get())) {
            for (Thread t : busyWaiters) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Bytes waiting for the socket now. */
    public long backlogBytes() {
        return backlog.get();
    }

    /** How many times a process was suspended because this connection was busy. */
    public long busySuspensions() {
        return busySuspensions.get();
    }

    /** Whether the caller is this connection's reader thread, or the carrier polling it now. */
    private boolean reading() {
        Thread self = Thread.currentThread();
        return self == reader || self == polledBy;
    }

    private void wakeWriter() {
        if (writerParked.get() && writerParked.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    /**
     * After a direct write: writes what senders queued meanwhile because they found the lock
     * held, in one system call (several senders at once batch their frames this way, with no
     * hand-over to the writer thread).
     */
    private void writeQueued() {
        if (blocked) {
            wakeWriter(); // the socket took only part: the writer waits until it takes the rest
            return;
        }
        if (queue.isEmpty() || !writeLock.tryLock()) {
            return; // nothing waits, or the holder will look after letting go
        }
        try {
            long before = writes;
            drain(batch, batch.length); // one buffer full at most: the caller is a process with work of its own
            writtenForOthers += writes - before;
        } catch (IOException e) {
            close(closed.get() ? "closed" : "write failed: " + e.getMessage());
        } finally {
            writeLock.unlock();
        }
        if (!queue.isEmpty() || blocked) {
            wakeWriter();
        }
    }

    private boolean streaming() {
        return reads == readsAtLastWrite && System.nanoTime() - lastWrite < STREAM_GAP_NANOS;
    }

    /** Holds writeLock. */
    private void writeDirect(byte[] frame) {
        try {
            put(frame, 0, frame.length, true);
            writes++;
            socketWrites++;
            directWrites++;
            wrote();
        } catch (IOException e) {
            close(closed.get() ? "closed" : "write failed: " + e.getMessage());
        }
    }

    /**
     * Holds writeLock: writes {@code b[off, off + len)}. Polled, without waiting: what the socket
     * does not take now goes to {@link #unsent} (a copy, unless the caller hands the array over),
     * behind anything there already; returns false then.
     */
    private boolean put(byte[] b, int off, int len, boolean owned) throws IOException {
        if (channel == null) {
            out.write(b, off, len);
            return true;
        }
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        if (unsent.isEmpty()) {
            channel.write(bb);
            if (!bb.hasRemaining()) {
                return true;
            }
        }
        backlog.addAndGet(bb.remaining());
        unsent.add(owned ? bb : ByteBuffer.wrap(Arrays.copyOfRange(b, bb.position(), off + len)));
        blocked = true;
        return false;
    }

    /** Holds writeLock: writes what waits in {@link #unsent}; whether all of it went. */
    private boolean flushUnsent() throws IOException {
        for (ByteBuffer head; (head = unsent.peek()) != null; ) {
            int before = head.remaining();
            channel.write(head);
            backlog.addAndGet(head.remaining() - before);
            if (head.hasRemaining()) {
                releaseBusy();
                return false;
            }
            unsent.poll();
        }
        blocked = false;
        releaseBusy();
        return true;
    }

    /** Holds writeLock. */
    private void wrote() {
        readsAtLastWrite = reads;
        lastWrite = System.nanoTime();
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
        if (poller != null) {
            poller.removed();
        }
        Selector w = writable;
        if (w != null) {
            w.wakeup();
        }
        Thread t = writer;
        if (t != null) {
            LockSupport.unpark(t);
        }
        queue.clear();
        releaseBusy();
        handler.onClose(this, reason);
    }

    private void writeLoop() {
        byte[] buf = batch;
        try {
            while (!closed.get()) {
                if (queue.isEmpty() && !blocked) {
                    writerParked.set(true);
                    // a frame queued between the look and the set saw no parked writer: look once more
                    if (queue.isEmpty() && !blocked) {
                        while (writerParked.get() && !closed.get()) {
                            LockSupport.park(this);
                        }
                    }
                    writerParked.set(false);
                    continue;
                }
                boolean stuck;
                writeLock.lock();
                try {
                    drain(buf, Long.MAX_VALUE);
                    stuck = blocked;
                } finally {
                    writeLock.unlock();
                }
                if (stuck) {
                    awaitWritable();
                }
            }
        } catch (IOException e) {
            close(closed.get() ? "closed" : "write failed: " + e.getMessage());
        } finally {
            Selector w = writable;
            if (w != null) {
                try {
                    w.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Writer thread, polled mode: waits until the socket can take more (or the connection closes). */
    private void awaitWritable() throws IOException {
        Selector w = writable;
        if (w == null) {
            w = Selector.open();
            channel.register(w, SelectionKey.OP_WRITE);
            writable = w;
        }
        if (!closed.get()) {
            w.select(1_000);
            w.selectedKeys().clear();
        }
    }

    /**
     * Writes what is queued, gathered into {@code buf}: one system call per buffer full, until the
     * queue is empty or about {@code limit} bytes are written. Polled, it stops where the socket
     * takes no more (what it did not take waits in {@link #unsent}). Holds writeLock.
     */
    private void drain(byte[] buf, long limit) throws IOException {
        if (channel != null && !flushUnsent()) {
            return;
        }
        int n = 0;
        long taken = 0;
        try {
            // The loop's only backward branch (where the agent puts a yield point, which may raise
            // an exit in a process that drains) comes after the frame taken is in buf or written.
            while (taken < limit && !blocked) {
                byte[] frame = queue.poll();
                if (frame == null) {
                    break;
                }
                taken += frame.length;
                writes++;
                if (n + frame.length > buf.length) {
                    if (n > 0) {
                        socketWrites++;
                        int had = n;
                        n = 0;
                        put(buf, 0, had, false);
                    }
                    if (frame.length > buf.length) {
                        socketWrites++;
                        put(frame, 0, frame.length, true);
                        continue;
                    }
                }
                System.arraycopy(frame, 0, buf, n, frame.length);
                n += frame.length;
            }
        } catch (IOException e) {
            n = 0; // nothing more goes to a socket that failed
            throw e;
        } finally {
            // Also when an exit was raised in the draining process: these are others' frames.
            backlog.addAndGet(-taken);
            if (n > 0) {
                socketWrites++;
                put(buf, 0, n, false);
            }
            releaseBusy();
        }
        wrote();
    }

    /**
     * Polled mode, on the thread that polls (one at a time): reads what the socket has and hands
     * each whole message to the handler; closes the connection at the end of the stream or on bad
     * input, as the reader thread does.
     */
    void readReady(int maxReads) {
        if (closed.get()) {
            return;
        }
        polledBy = Thread.currentThread();
        try {
            if (!frameReader.read(channel, polledFrames, maxReads)) {
                throw new java.io.EOFException();
            }
        } catch (IOException | RuntimeException e) {
            readFailed(e);
        } finally {
            polledBy = null;
        }
    }

    SocketChannel channel() {
        return channel;
    }

    /** Whether the carriers read this connection (rather than a reader thread); once started. */
    boolean polled() {
        return poller != null;
    }

    /**
     * Reads straight from the socket into one buffer and hands each frame over where it lies: no
     * copy and no allocation per frame. A frame larger than the buffer gets an array of its own
     * size (bounded by the message limit), read only once its length has been checked.
     */
    private void readLoop() {
        Fragments fragments = new Fragments(options.maxMessage());
        byte[] buf = new byte[BUFFER];
        int start = 0;
        int end = 0;
        try {
            InputStream in = socket.getInputStream();
            while (!closed.get()) {
                if (end - start < 4 || end - start - 4 < frameLength(buf, start)) {
                    if (end - start >= 4 && frameLength(buf, start) > buf.length - 4) {
                        int len = frameLength(buf, start);
                        byte[] big = new byte[len];
                        int have = end - start - 4;
                        System.arraycopy(buf, start + 4, big, 0, have);
                        readFully(in, big, have, len - have);
                        start = end = 0;
                        frame(fragments, big, 0, len);
                        continue;
                    }
                    if (start > 0) {
                        System.arraycopy(buf, start, buf, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    int n = in.read(buf, end, buf.length - end);
                    if (n < 0) {
                        throw new java.io.EOFException();
                    }
                    end += n;
                    continue;
                }
                int len = frameLength(buf, start);
                start += 4;
                frame(fragments, buf, start, len);
                start += len;
            }
        } catch (IOException | RuntimeException e) {
            readFailed(e);
        }
    }

    /** Closes the connection after a read failed, with the reason (and a log line for a bad peer or our bug). */
    private void readFailed(Exception e) {
        switch (e) {
            case ProtocolException p -> {
                LOG.log(System.Logger.Level.WARNING, "Closing the connection to " + peerName() + ": " + p.getMessage());
                close("protocol error: " + p.getMessage());
            }
            case IOException io -> close(closed.get() ? "closed"
                    : "connection lost: " + (io instanceof java.io.EOFException ? "closed by the peer" : io.getMessage()));
            default -> {
                LOG.log(System.Logger.Level.ERROR, "Closing the connection to " + peerName() + " after an internal error", e);
                close("internal error: " + e);
            }
        }
    }

    /** The length of the frame at {@code at}, checked against the message limit. */
    private int frameLength(byte[] b, int at) throws ProtocolException {
        int len = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        if (len < 0 || len > options.maxMessage()) {
            throw new ProtocolException("a frame of " + Integer.toUnsignedString(len)
                    + " bytes exceeds the limit of " + options.maxMessage());
        }
        return len;
    }

    private void frame(Fragments fragments, byte[] b, int at, int len) throws ProtocolException {
        if (closed.get()) {
            return; // closed by an earlier frame of the same read (or another thread): the rest is dropped
        }
        reads++;
        if (len == 0) {
            return; // a tick
        }
        Inbound message = fragments.accept(b, at, len);
        if (message != null) {
            handler.onMessage(this, message);
        }
    }

    private static void readFully(InputStream in, byte[] b, int at, int n) throws IOException {
        while (n > 0) {
            int got = in.read(b, at, n);
            if (got < 0) {
                throw new java.io.EOFException();
            }
            at += got;
            n -= got;
        }
    }

    /**
     * Frames written, socket writes made, frames written by their senders, and frames a sender
     * wrote for others so far (for tests).
     */
    long[] writeCounts() {
        return new long[] {writes, socketWrites, directWrites, writtenForOthers};
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

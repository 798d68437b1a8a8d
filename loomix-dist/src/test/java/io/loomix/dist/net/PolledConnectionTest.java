package io.loomix.dist.net;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnectionTest}'s cases over a socket channel, which the scheduler's carriers poll (and
 * write without blocking), plus what only that mode promises.
 */
class PolledConnectionTest extends ConnectionTest {
    @Override
    Socket connect(InetSocketAddress to) throws IOException {
        return SocketChannel.open(to).socket();
    }

    @Override
    boolean polled() {
        return true;
    }

    /**
     * A thread that is not a process sends 16 MiB (more than loopback's socket buffers hold) to a
     * peer that reads nothing: its sends must all return (what the socket does not take waits for
     * the writer thread; only processes are suspended on a busy connection), and once the peer
     * reads, every frame arrives whole and in order. The sends are spaced past the stream gap, so
     * each would be written by its sender if nothing were waiting.
     */
    @Test
    void aThreadThatIsNotAProcessNeverWaitsForAPeerThatDoesNotRead() throws Exception {
        start(Duration.ofSeconds(60), 1 << 20);
        int frames = 64;
        int size = 256 * 1024;
        var sent = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; i < frames; i++) {
                connection.send(bigFrame(i, size));
                LockSupport.parkNanos(Connection.STREAM_GAP_NANOS * 2);
            }
            sent.countDown();
        });
        assertTrue(sent.await(30, TimeUnit.SECONDS), "the sender was held up by a peer that does not read");
        assertEquals(0, connection.busySuspensions());
        readBigFrames(frames, size);
        assertTrue(connection.isOpen());
    }

    /**
     * BEAM's busy distribution port: a process streaming to a peer that reads nothing is suspended
     * once more than the busy limit waits for the socket (so the node's memory does not grow with
     * what the peer does not read), and goes on as the peer reads; nothing is lost or reordered.
     */
    @Test
    void aProcessIsSuspendedWhileMoreThanTheBusyLimitWaitsAndGoesOnAsThePeerReads() throws Exception {
        int limit = 1 << 20;
        start(Duration.ofSeconds(60), 1 << 20, limit);
        int frames = 64;
        int size = 256 * 1024;
        var sentSoFar = new AtomicInteger();
        var sent = new CountDownLatch(1);
        Process.spawn(() -> {
            for (int i = 0; i < frames; i++) {
                connection.send(bigFrame(i, size));
                sentSoFar.incrementAndGet();
            }
            sent.countDown();
        });
        awaitSuspended();
        assertTrue(sentSoFar.get() < frames, "the sender went on while " + connection.backlogBytes() + " bytes waited");
        assertTrue(connection.backlogBytes() <= limit + size + 4,
                "the backlog grew past the limit and one frame: " + connection.backlogBytes());
        readBigFrames(frames, size);
        assertTrue(sent.await(30, TimeUnit.SECONDS), "the sender did not go on once the peer read");
        assertTrue(connection.isOpen());
    }

    /** A kill ends a process suspended on a busy connection, as it ends one suspended on a busy port. */
    @Test
    void aProcessSuspendedOnABusyConnectionDiesOfAKill() throws Exception {
        start(Duration.ofSeconds(60), 1 << 20, 64 * 1024);
        Pid sender = Process.spawn(() -> {
            for (int i = 0; i < 1000; i++) { // 64 MiB: far past the limit, bounded if nothing suspends it
                connection.send(bigFrame(i, 64 * 1024));
            }
        });
        awaitSuspended();
        Object down = Process.run(() -> {
            Ref ref = Process.monitor(sender);
            Process.exit(sender, ExitReason.KILL);
            return Process.receive(Duration.ofSeconds(10), m -> m instanceof Down d && d.ref().equals(ref) ? d : null,
                    () -> "no Down within 10 s");
        });
        assertEquals(ExitReason.KILLED, ((Down) down).reason(), down.toString());
    }

    /** Closing a busy connection lets its suspended senders go on (their later sends are dropped). */
    @Test
    void sendersSuspendedOnABusyConnectionGoOnWhenItCloses() throws Exception {
        start(Duration.ofSeconds(60), 1 << 20, 64 * 1024);
        var done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            Process.spawn(() -> {
                for (int i = 0; i < 200; i++) {
                    connection.send(bigFrame(i, 64 * 1024));
                }
                done.countDown();
            });
        }
        awaitSuspended();
        connection.close("test closes it");
        assertTrue(done.await(30, TimeUnit.SECONDS), "suspended senders stayed suspended after the close");
    }

    /**
     * Eight processes stream 16 KiB frames through a 64 KiB busy limit to a peer that reads in
     * small, slow steps: each is suspended and resumed many times, and every frame arrives once,
     * in its sender's order.
     */
    @RepeatedTest(5)
    void manyProcessesSuspendedAndResumedOverAndOverLoseNothing() throws Exception {
        start(Duration.ofSeconds(60), 1 << 20, 64 * 1024);
        int senders = 8;
        int each = 150;
        int size = 16 * 1024;
        var done = new CountDownLatch(senders);
        for (int t = 0; t < senders; t++) {
            int id = t;
            Process.spawn(() -> {
                for (int i = 0; i < each; i++) {
                    byte[] f = new byte[4 + size];
                    ByteBuffer.wrap(f).putInt(size).putInt(id).putInt(i);
                    connection.send(f);
                }
                done.countDown();
            });
        }
        peer.setSoTimeout(10_000);
        int[] next = new int[senders];
        byte[] rest = new byte[size - 8];
        for (int got = 0; got < senders * each; ) {
            int len = fromUs.readInt();
            if (len == 0) {
                continue; // a tick
            }
            assertEquals(size, len);
            int id = fromUs.readInt();
            int seq = fromUs.readInt();
            fromUs.readFully(rest);
            assertEquals(next[id], seq, "sender " + id + "'s frames out of order");
            next[id]++;
            got++;
            if (got % 64 == 0) {
                Thread.yield(); // a slow reader: the backlog builds up between reads
            }
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertTrue(connection.busySuspensions() > 0, "no sender was ever suspended: the test did not reach the limit");
    }

    /** Waits (bounded) until some sender is suspended on the connection. */
    private void awaitSuspended() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (connection.busySuspensions() == 0) {
            assertTrue(System.nanoTime() < deadline, "no sender was suspended within 30 s; backlog "
                    + connection.backlogBytes() + " bytes");
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void readBigFrames(int frames, int size) throws IOException {
        peer.setSoTimeout(10_000);
        byte[] body = new byte[size];
        for (int i = 0; i < frames; i++) {
            int len = fromUs.readInt();
            if (len == 0) {
                i--;
                continue; // a tick
            }
            assertEquals(size, len, "frame " + i);
            fromUs.readFully(body);
            assertEquals(i, ByteBuffer.wrap(body).getInt(), "frame " + i + " out of order");
            for (int k = 4; k < size; k += 4093) {
                assertEquals((byte) (i + k), body[k], "frame " + i + ", byte " + k);
            }
        }
    }

    /**
     * Frames a process queues while it streams are written by a carrier when it next looks for
     * work (or the ticker), not by the writer thread: all of them, in order, with no wake-up
     * per burst. Two processes, so both carriers send.
     */
    @Test
    void framesProcessesStreamAreWrittenInOrderByTheCarriers() throws Exception {
        start(Duration.ofSeconds(60));
        int each = 20_000;
        var sent = new CountDownLatch(2);
        for (int t = 0; t < 2; t++) {
            byte id = (byte) t;
            Process.spawn(() -> {
                for (int i = 0; i < each; i++) {
                    connection.send(new byte[] {0, 0, 0, 8, 0, 0, 0, id,
                        (byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
                    if (i % 1000 == 999) {
                        LockSupport.parkNanos(200_000); // the carrier looks for work: the queue is written
                    }
                }
                sent.countDown();
            });
        }
        peer.setSoTimeout(10_000);
        int[] next = new int[2];
        for (int got = 0; got < 2 * each; ) {
            int len = fromUs.readInt();
            if (len == 0) {
                continue;
            }
            int t = fromUs.readInt();
            int seq = fromUs.readInt();
            assertEquals(next[t], seq, "process " + t + "'s frames out of order");
            next[t]++;
            got++;
        }
        assertTrue(sent.await(10, TimeUnit.SECONDS));
    }

    private static byte[] bigFrame(int seq, int size) {
        byte[] f = new byte[4 + size];
        ByteBuffer.wrap(f).putInt(size).putInt(seq);
        for (int k = 4; k < size; k++) {
            f[4 + k] = (byte) (seq + k);
        }
        return f;
    }
}

package io.loomix.dist.net;

import io.loomix.Process;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
     * A process sends 16 MiB (more than loopback's socket buffers hold) to a peer that reads
     * nothing: its sends must all return (what the socket does not take waits for the writer
     * thread), and once the peer reads, every frame arrives whole and in order. The sends are
     * spaced past the stream gap, so each would be written by its sender if nothing were waiting.
     */
    @Test
    void aSenderNeverWaitsForAPeerThatDoesNotReadAndItsFramesArriveInOrderOnceItReads() throws Exception {
        start(Duration.ofSeconds(60), 1 << 20);
        int frames = 64;
        int size = 256 * 1024;
        var sent = new CountDownLatch(1);
        Process.spawn(() -> {
            for (int i = 0; i < frames; i++) {
                connection.send(bigFrame(i, size));
                LockSupport.parkNanos(Connection.STREAM_GAP_NANOS * 2);
            }
            sent.countDown();
        });
        assertTrue(sent.await(30, TimeUnit.SECONDS), "the sender was held up by a peer that does not read");
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
        assertTrue(connection.isOpen());
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

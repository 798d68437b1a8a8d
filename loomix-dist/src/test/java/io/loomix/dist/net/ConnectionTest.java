package io.loomix.dist.net;

import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.handshake.Handshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection against a raw socket peer that the test drives byte by byte. Here over a plain
 * socket, so read by a reader thread; {@link PolledConnectionTest} runs the same over a channel
 * that the carriers poll.
 */
class ConnectionTest {
    Socket ours;
    Socket peer;
    DataInputStream fromUs;
    DataOutputStream toUs;
    final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    Connection connection;

    @BeforeEach
    void pair() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ours = connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            peer = server.accept();
        }
        fromUs = new DataInputStream(peer.getInputStream());
        toUs = new DataOutputStream(peer.getOutputStream());
    }

    /** Our side's socket, connected to {@code to}. */
    Socket connect(java.net.InetSocketAddress to) throws IOException {
        return new Socket(to.getAddress(), to.getPort());
    }

    /** Whether the connections of this test class are read by the carriers. */
    boolean polled() {
        return false;
    }

    @AfterEach
    void close() throws IOException {
        if (connection != null) {
            connection.close("test over");
        }
        peer.close();
        ours.close();
    }

    void start(Duration tick) {
        start(tick, 4096);
    }

    void start(Duration tick, int maxMessage) {
        start(tick, maxMessage, Connection.Options.DEFAULT_BUSY_LIMIT);
    }

    void start(Duration tick, int maxMessage, int busyLimit) {
        var result = new Handshake.Result("peer@host", DistFlags.LOOMIX, 1, DistFlags.LOOMIX);
        connection = new Connection(ours, result, new Connection.Options(tick, maxMessage, busyLimit), new Connection.Handler() {
            @Override
            public void onMessage(Connection c, Inbound m) {
                byte[] copy = java.util.Arrays.copyOfRange(m.bytes(), m.offset(), m.offset() + m.length());
                events.add(new Object[] {copy, m.versioned(), m.atomRefs()});
            }

            @Override
            public void onClose(Connection c, String reason) {
                events.add(reason);
            }
        });
        connection.start();
        assertEquals(polled(), connection.polled(), "read by the carriers");
    }

    Object next() throws InterruptedException {
        Object e = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "nothing happened within 10 s");
        return e;
    }

    private static byte[] frame(int... body) {
        byte[] f = new byte[4 + body.length];
        f[3] = (byte) body.length;
        f[2] = (byte) (body.length >> 8);
        for (int i = 0; i < body.length; i++) {
            f[4 + i] = (byte) body[i];
        }
        return f;
    }

    @RepeatedTest(5)
    void framesFromOneThreadArriveInOrder() throws Exception {
        start(Duration.ofSeconds(60));
        int n = 20_000;
        var reader = CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    int len = fromUs.readInt();
                    if (len == 0) {
                        i--;
                        continue;
                    }
                    int v = fromUs.readInt();
                    if (len != 4 || v != i) {
                        return "frame " + i + " was " + v + " (length " + len + ")";
                    }
                }
                return "ok";
            } catch (IOException e) {
                return e.toString();
            }
        });
        for (int i = 0; i < n; i++) {
            connection.send(new byte[] {0, 0, 0, 4, (byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
        }
        assertEquals("ok", reader.get(20, TimeUnit.SECONDS));
    }

    @Test
    void queuedFramesGoOutInFewWrites() throws Exception {
        var result = new Handshake.Result("peer@host", DistFlags.LOOMIX, 1, DistFlags.LOOMIX);
        connection = new Connection(ours, result, new Connection.Options(Duration.ofSeconds(60), 4096), new Connection.Handler() {
            @Override
            public void onMessage(Connection c, Inbound m) {}

            @Override
            public void onClose(Connection c, String reason) {}
        });
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            connection.send(new byte[] {0, 0, 0, 4, (byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
        }
        connection.start(); // the writer finds 10,000 frames (80 KB) waiting
        for (int i = 0; i < n; i++) {
            assertEquals(4, fromUs.readInt());
            assertEquals(i, fromUs.readInt());
        }
        long[] counts = connection.writeCounts();
        assertEquals(n, counts[0]);
        assertTrue(counts[1] <= 3, "80 KB of queued frames in " + counts[1] + " socket writes (64 KiB buffer)");
    }

    @Test
    void anIdleConnectionTicks() throws Exception {
        start(Duration.ofMillis(200));
        peer.setSoTimeout(5_000);
        assertEquals(0, fromUs.readInt(), "a tick is an empty frame");
    }

    @Test
    void aSilentPeerIsDroppedAfterTheTickTime() throws Exception {
        start(Duration.ofMillis(200));
        assertEquals("net_tick_timeout", next());
    }

    @Test
    void ticksFromThePeerKeepItAlive() throws Exception {
        start(Duration.ofSeconds(2));
        // 60 ticks over 3 s, past the 2 s tick time: it must still be open (the tick time is long
        // against the 50 ms pace so that a loaded machine's scheduling delays do not matter)
        for (int i = 0; i < 60; i++) {
            toUs.writeInt(0);
            toUs.flush();
            assertEquals(null, events.poll(50, TimeUnit.MILLISECONDS));
        }
        assertTrue(connection.isOpen());
    }

    @Test
    void passThroughAndHeaderFramesAreDelivered() throws Exception {
        start(Duration.ofSeconds(60));
        toUs.write(frame(112, 131, 106));
        toUs.write(frame(131, 68, 0, 106, 106));
        toUs.flush();
        Object[] a = (Object[]) next();
        assertArrayEquals(new byte[] {(byte) 131, 106}, (byte[]) a[0]);
        assertEquals(true, a[1]);
        Object[] b = (Object[]) next();
        assertArrayEquals(new byte[] {106, 106}, (byte[]) b[0]);
        assertEquals(false, b[1]);
    }

    @Test
    void fragmentsAreJoined() throws Exception {
        start(Duration.ofSeconds(60));
        // sequence 9 in three fragments (ids 3, 2, 1), with a whole message of another sequence between
        toUs.write(frame(131, 69, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 3, 0, 1, 2));
        toUs.write(frame(112, 7));
        toUs.write(frame(131, 70, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 2, 3, 4));
        toUs.write(frame(131, 70, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 5));
        toUs.flush();
        assertArrayEquals(new byte[] {7}, (byte[]) ((Object[]) next())[0]);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, (byte[]) ((Object[]) next())[0]);
    }

    @Test
    void anUnknownTagClosesTheConnection() throws Exception {
        start(Duration.ofSeconds(60));
        toUs.write(frame(99, 1, 2));
        toUs.flush();
        String reason = (String) next();
        assertTrue(reason.startsWith("protocol error") && reason.contains("99"), reason);
        peer.setSoTimeout(5_000);
        assertEquals(-1, fromUs.read(), "the socket is closed");
    }

    @Test
    void aHugeLengthClosesTheConnectionWithoutReadingIt() throws Exception {
        start(Duration.ofSeconds(60));
        toUs.writeInt(0x7fff_fff0);
        toUs.flush();
        String reason = (String) next();
        assertTrue(reason.contains("exceeds the limit of 4096"), reason);
    }

    @Test
    void fragmentsBeyondTheLimitCloseTheConnection() throws Exception {
        start(Duration.ofSeconds(60));
        int[] body = new int[3000];
        int[] head = {131, 69, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0};
        System.arraycopy(head, 0, body, 0, head.length);
        toUs.write(frame(body));
        int[] cont = new int[3000];
        int[] ch = {131, 70, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4};
        System.arraycopy(ch, 0, cont, 0, ch.length);
        toUs.write(frame(cont));
        toUs.flush();
        String reason = (String) next();
        assertTrue(reason.contains("beyond the limit"), reason);
    }

    @Test
    void aContinuationWithoutStartClosesTheConnection() throws Exception {
        start(Duration.ofSeconds(60));
        toUs.write(frame(131, 70, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 5));
        toUs.flush();
        String reason = (String) next();
        assertTrue(reason.contains("without its start"), reason);
    }

    @Test
    void atomCacheRefsNameTheAtomsTheHeaderFilledEarlier() throws Exception {
        start(Duration.ofSeconds(60));
        // refs 0 and 1 new (slots 0x105 and 0x2ff, 'ab' and 'c'), ref 2 new 'd' in slot 3:
        // flags 0x9 | 0xa << 4, then 0x8 (ref 2), long atoms off
        toUs.write(frame(131, 68, 3, 0xa9, 0x08, 0x05, 2, 'a', 'b', 0xff, 1, 'c', 3, 1, 'd', 82, 0, 82, 2));
        // old refs to slots 0x2ff and 0x105 (flags 2 and 1), then one to 3; last half-byte: long atoms
        toUs.write(frame(131, 68, 3, 0x12, 0x10, 0xff, 0x05, 3, 82, 1));
        toUs.flush();
        Object[] first = (Object[]) next();
        assertArrayEquals(new byte[] {82, 0, 82, 2}, (byte[]) first[0]);
        assertArrayEquals(new Object[] {io.loomix.Atom.of("ab"), io.loomix.Atom.of("c"), io.loomix.Atom.of("d")},
                (Object[]) first[2]);
        Object[] second = (Object[]) next();
        assertArrayEquals(new Object[] {io.loomix.Atom.of("c"), io.loomix.Atom.of("ab"), io.loomix.Atom.of("d")},
                (Object[]) second[2]);
    }

    @Test
    void aRefToASlotThePeerNeverFilledClosesTheConnection() throws Exception {
        start(Duration.ofSeconds(60));
        toUs.write(frame(131, 68, 1, 0x00, 7, 106));
        toUs.flush();
        String reason = (String) next();
        assertTrue(reason.contains("atom cache slot 7") && reason.contains("never filled"), reason);
    }

    @Test
    void aTruncatedAtomCacheHeaderClosesTheConnection() throws Exception {
        start(Duration.ofSeconds(60));
        toUs.write(frame(131, 68, 1, 0x08, 7, 200, 'a'));
        toUs.flush();
        String reason = (String) next();
        assertTrue(reason.contains("truncated atom cache header"), reason);
    }

    @Test
    void framesSplitAcrossReadsAndLargerThanTheReadBufferArriveWhole() throws Exception {
        start(Duration.ofSeconds(60), 1 << 20);
        int[] big = new int[200_000]; // three times the reader's buffer
        big[0] = 112;
        for (int i = 1; i < big.length; i++) {
            big[i] = i % 251;
        }
        byte[] all = concat(frame(112, 1), bigFrame(big), frame(112, 2, 3), bigFrame(big), frame(112, 4));
        // in pieces that cut lengths and bodies anywhere
        java.util.Random random = new java.util.Random(9);
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + random.nextInt(at < 16 ? 3 : 70_000));
            toUs.write(all, at, n);
            toUs.flush();
            at += n;
        }
        assertArrayEquals(new byte[] {1}, (byte[]) ((Object[]) next())[0]);
        byte[] expected = new byte[big.length - 1];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) big[i + 1];
        }
        assertArrayEquals(expected, (byte[]) ((Object[]) next())[0]);
        assertArrayEquals(new byte[] {2, 3}, (byte[]) ((Object[]) next())[0]);
        assertArrayEquals(expected, (byte[]) ((Object[]) next())[0]);
        assertArrayEquals(new byte[] {4}, (byte[]) ((Object[]) next())[0]);
        assertTrue(connection.isOpen());
    }

    @RepeatedTest(5)
    void framesFromManyThreadsKeepEachThreadsOrderWhetherWrittenDirectlyOrQueued() throws Exception {
        start(Duration.ofSeconds(60));
        int threads = 6;
        int each = 3_000;
        var reader = CompletableFuture.supplyAsync(() -> {
            try {
                int[] next = new int[threads];
                for (int got = 0; got < threads * each; ) {
                    int len = fromUs.readInt();
                    if (len == 0) {
                        continue;
                    }
                    int t = fromUs.readInt();
                    int seq = fromUs.readInt();
                    if (len != 8 || seq != next[t]) {
                        return "thread " + t + ": frame " + seq + " where " + next[t] + " was due";
                    }
                    next[t]++;
                    got++;
                    if (got % 97 == 0) {
                        toUs.writeInt(0); // something read: the next lone frame is written directly
                        toUs.flush();
                    }
                }
                return "ok";
            } catch (IOException e) {
                return e.toString();
            }
        });
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    connection.send(new byte[] {0, 0, 0, 8, 0, 0, 0, (byte) id,
                        (byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
                    if (i % 50 == 0) {
                        // a pause longer than the stream gap, so both ways of writing take turns
                        java.util.concurrent.locks.LockSupport.parkNanos(Connection.STREAM_GAP_NANOS * 2);
                    }
                }
            });
        }
        for (Thread s : senders) {
            s.join(20_000);
        }
        assertEquals("ok", reader.get(20, TimeUnit.SECONDS));
        long[] counts = connection.writeCounts();
        assertTrue(counts[1] > 0 && counts[1] < counts[0], "frames " + counts[0] + ", socket writes " + counts[1]);
    }

    @Test
    void aLoneFrameIsWrittenByItsSenderButNeverByTheReaderThread() throws Exception {
        var result = new Handshake.Result("peer@host", DistFlags.LOOMIX, 1, DistFlags.LOOMIX);
        byte[] answer = frame(112, 42);
        connection = new Connection(ours, result, new Connection.Options(Duration.ofSeconds(60), 4096), new Connection.Handler() {
            @Override
            public void onMessage(Connection c, Inbound m) {
                c.send(answer); // as the inbox answers a signal: must go through the writer thread
            }

            @Override
            public void onClose(Connection c, String reason) {}
        });
        connection.start();
        toUs.write(frame(112, 1));
        toUs.flush();
        peer.setSoTimeout(10_000);
        int len = fromUs.readInt();
        assertEquals(2, len);
        assertEquals(112, fromUs.read());
        assertEquals(42, fromUs.read());
        assertEquals(0, connection.writeCounts()[2], "the reader thread wrote to the socket itself");
        // from another thread, with something read since the last write: written directly
        toUs.write(frame(112, 2));
        toUs.flush();
        assertEquals(2, fromUs.readInt());
        fromUs.readFully(new byte[2]);
        long before = connection.writeCounts()[2];
        // the rule is about time: past the stream gap since the writer's last write
        java.util.concurrent.locks.LockSupport.parkNanos(Connection.STREAM_GAP_NANOS * 4);
        Thread.ofPlatform().start(() -> connection.send(frame(112, 7))).join(10_000);
        assertEquals(2, fromUs.readInt());
        assertEquals(112, fromUs.read());
        assertEquals(7, fromUs.read());
        assertEquals(before + 1, connection.writeCounts()[2], "a lone frame after a read goes out on its sender's thread");
    }

    private static byte[] bigFrame(int[] body) {
        byte[] f = new byte[4 + body.length];
        java.nio.ByteBuffer.wrap(f).putInt(body.length);
        for (int i = 0; i < body.length; i++) {
            f[4 + i] = (byte) body[i];
        }
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * Senders that find another sender writing queue their frame and wake nobody: the writing one
     * must write it after letting go of the lock. Each round waits for every thread's frame before
     * the next is sent, so one left in the queue (the tick is a minute away) fails the round.
     */
    @RepeatedTest(3)
    void framesQueuedWhileAnotherSenderWritesAreWrittenWithoutWaitingForMore() throws Exception {
        start(Duration.ofSeconds(60));
        int threads = 8;
        int rounds = 400;
        peer.setSoTimeout(5_000);
        var go = new java.util.concurrent.CyclicBarrier(threads + 1);
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders[t] = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        go.await(10, TimeUnit.SECONDS);
                        connection.send(new byte[] {0, 0, 0, 8, 0, 0, 0, (byte) id,
                            (byte) (r >>> 24), (byte) (r >>> 16), (byte) (r >>> 8), (byte) r});
                    }
                } catch (Exception e) {
                    // the test has failed already, or is over
                }
            });
        }
        for (int r = 0; r < rounds; r++) {
            go.await(10, TimeUnit.SECONDS);
            boolean[] seen = new boolean[threads];
            for (int got = 0; got < threads; ) {
                int len;
                try {
                    len = fromUs.readInt();
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("round " + r + ": only " + got + " of " + threads
                            + " frames arrived within 5 s; counts " + java.util.Arrays.toString(connection.writeCounts()));
                }
                if (len == 0) {
                    continue;
                }
                int t = fromUs.readInt();
                int round = fromUs.readInt();
                assertEquals(r, round, "thread " + t + "'s frame of another round");
                assertTrue(!seen[t], "thread " + t + " twice in round " + r);
                seen[t] = true;
                got++;
            }
            toUs.writeInt(0); // something read: the next round's frames are not a stream
            toUs.flush();
        }
        for (Thread s : senders) {
            s.join(10_000);
        }
    }
}

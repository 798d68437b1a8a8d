package io.loomix.dist.net;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The polled connections' deframer, fed by a channel that hands out chosen pieces of a stream. */
class FrameReaderTest {

    /** A non-blocking channel with the given pieces: one per read at most, then 0 ("nothing now") until more come. */
    private static final class Pieces implements ReadableByteChannel {
        final ArrayDeque<ByteBuffer> pieces = new ArrayDeque<>();
        boolean eof;
        int reads;

        void add(byte[] b, int from, int to) {
            pieces.add(ByteBuffer.wrap(Arrays.copyOfRange(b, from, to)));
        }

        @Override
        public int read(ByteBuffer dst) {
            reads++;
            ByteBuffer head = pieces.peek();
            if (head == null) {
                return eof ? -1 : 0;
            }
            int n = Math.min(dst.remaining(), head.remaining());
            ByteBuffer slice = head.slice().limit(n);
            dst.put(slice);
            head.position(head.position() + n);
            if (!head.hasRemaining()) {
                pieces.poll();
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static byte[] frame(int len, int seed) {
        byte[] f = new byte[4 + len];
        ByteBuffer.wrap(f).putInt(len);
        for (int i = 0; i < len; i++) {
            f[4 + i] = (byte) (seed + i);
        }
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The bodies of the frames in a stream, as the sink should see them. */
    private static List<String> bodies(byte[]... frames) {
        List<String> out = new ArrayList<>();
        for (byte[] f : frames) {
            out.add(Arrays.toString(Arrays.copyOfRange(f, 4, f.length)));
        }
        return out;
    }

    private static FrameReader.Sink into(List<String> got) {
        return (b, at, len) -> got.add(Arrays.toString(Arrays.copyOfRange(b, at, at + len)));
    }

    @Test
    void aStreamCutInTwoAtEveryByteGivesTheSameFrames() throws Exception {
        // a tick, small frames, and one larger than the 64-byte buffer (its own array)
        byte[][] frames = {frame(0, 0), frame(3, 1), frame(60, 2), frame(200, 3), frame(1, 4), frame(0, 0), frame(7, 5)};
        byte[] stream = concat(frames);
        for (int cut = 0; cut <= stream.length; cut++) {
            var reader = new FrameReader(1024, 64);
            var in = new Pieces();
            List<String> got = new ArrayList<>();
            in.add(stream, 0, cut);
            assertTrue(reader.read(in, into(got), 100));
            in.add(stream, cut, stream.length);
            assertTrue(reader.read(in, into(got), 100));
            assertEquals(bodies(frames), got, "cut at byte " + cut);
        }
    }

    @Test
    void aStreamReadOneByteAtATimeGivesTheSameFrames() throws Exception {
        byte[][] frames = {frame(5, 1), frame(0, 0), frame(100, 2), frame(59, 3), frame(60, 4)};
        byte[] stream = concat(frames);
        var reader = new FrameReader(1024, 64);
        var in = new Pieces();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            in.add(stream, i, i + 1);
            assertTrue(reader.read(in, into(got), 1));
        }
        assertEquals(bodies(frames), got);
    }

    @Test
    void severalFramesInOneReadAreAllHandedOnInOrder() throws Exception {
        byte[][] frames = new byte[50][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame(i % 7, i);
        }
        var reader = new FrameReader(1024);
        var in = new Pieces();
        byte[] stream = concat(frames);
        in.add(stream, 0, stream.length);
        List<String> got = new ArrayList<>();
        assertTrue(reader.read(in, into(got), 1));
        assertEquals(bodies(frames), got);
    }

    @Test
    void readsStopAtTheLimitAndGoOnAtTheNextCall() throws Exception {
        // an 8-byte buffer: each read fills the room it has, so only the limit ends the call
        byte[][] frames = {frame(2, 1), frame(2, 2), frame(2, 3)};
        var reader = new FrameReader(1024, 8);
        var in = new Pieces();
        byte[] stream = concat(frames);
        in.add(stream, 0, stream.length);
        List<String> got = new ArrayList<>();
        assertTrue(reader.read(in, into(got), 2));
        assertEquals(bodies(frames[0], frames[1]), got);
        assertEquals(2, in.reads);
        assertTrue(reader.read(in, into(got), 2));
        assertEquals(bodies(frames), got);
    }

    @Test
    void aReadThatDoesNotFillItsRoomEndsTheCallWithoutAnotherSystemCall() throws Exception {
        byte[][] frames = {frame(2, 1), frame(2, 2)};
        var reader = new FrameReader(1024);
        var in = new Pieces();
        for (byte[] f : frames) {
            in.add(f, 0, f.length);
        }
        List<String> got = new ArrayList<>();
        assertTrue(reader.read(in, into(got), 100));
        assertEquals(bodies(frames[0]), got);
        assertEquals(1, in.reads, "no second read after a short one");
        assertTrue(reader.read(in, into(got), 100));
        assertEquals(bodies(frames), got, "the rest at the next call");
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeAnyOfItIsRead() throws Exception {
        var reader = new FrameReader(1024, 64);
        var in = new Pieces();
        byte[] ok = frame(1024, 0);
        byte[] over = new byte[] {0, 0, 4, 1}; // 1025: its body is never sent, nor needed
        byte[] stream = concat(ok, over);
        in.add(stream, 0, stream.length);
        List<String> got = new ArrayList<>();
        var e = assertThrows(ProtocolException.class, () -> reader.read(in, into(got), 100));
        assertEquals("a frame of 1025 bytes exceeds the limit of 1024", e.getMessage());
        assertEquals(bodies(ok), got, "the frames before it were handed on");
    }

    @Test
    void aNegativeLengthIsRefused() {
        var reader = new FrameReader(1024);
        var in = new Pieces();
        in.add(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0}, 0, 4);
        var e = assertThrows(ProtocolException.class, () -> reader.read(in, into(new ArrayList<>()), 1));
        assertTrue(e.getMessage().contains("4294967280 bytes exceeds the limit"), e.getMessage());
    }

    @Test
    void theEndOfTheStreamIsReported() throws Exception {
        var reader = new FrameReader(1024);
        var in = new Pieces();
        byte[] f = frame(3, 1);
        in.add(f, 0, f.length);
        in.eof = true;
        List<String> got = new ArrayList<>();
        assertTrue(reader.read(in, into(got), 100), "a short read ends the call before the end is seen");
        assertEquals(bodies(f), got);
        assertFalse(reader.read(in, into(got), 100));
        assertEquals(bodies(f), got);
    }
}

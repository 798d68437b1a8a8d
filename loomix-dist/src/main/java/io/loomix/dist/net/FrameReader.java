package io.loomix.dist.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts one connection's byte stream into frames (a 4-byte big-endian length, then that many
 * bytes) as it comes, from a non-blocking channel: a read takes what the socket has, whole frames
 * are handed on where they lie in the buffer (no copy, no allocation per frame), and a frame cut
 * by the end of a read waits for the rest at the next one. A frame larger than the buffer gets an
 * array of exactly its size, made only after its length has been checked against the limit.
 * One thread at a time (the connection's poll).
 */
final class FrameReader {
    /** Where whole frames go; the bytes are the reader's: read them before returning. */
    interface Sink {
        void frame(byte[] b, int at, int len) throws ProtocolException;
    }

    static final int BUFFER = 64 * 1024;

    private final int maxMessage;
    private final byte[] buf;
    private final ByteBuffer view;
    /** The unread part of {@link #buf}: bytes [start, end). */
    private int start;
    private int end;
    /** A frame too large for the buffer, being filled, and how much of it has come. */
    private byte[] big;
    private int bigHave;

    FrameReader(int maxMessage) {
        this(maxMessage, BUFFER);
    }

    /** With a buffer of {@code bufferSize} bytes (tests use small ones to reach the large-frame path). */
    FrameReader(int maxMessage, int bufferSize) {
        this.maxMessage = maxMessage;
        this.buf = new byte[bufferSize];
        this.view = ByteBuffer.wrap(buf);
    }

    /**
     * Reads what {@code in} has, at most {@code maxReads} times (so one busy connection cannot
     * keep the poll from the others; what is left is read at the next poll), and hands every
     * whole frame to {@code sink}, in order. A read that fills less than the room it was given
     * ends the call: the channel had no more then (what comes later, or the end of the stream,
     * is seen at the next call). Returns false at the end of the stream.
     *
     * @throws ProtocolException a frame's length is over the limit, or the sink refused a frame
     */
    boolean read(ReadableByteChannel in, Sink sink, int maxReads) throws IOException, ProtocolException {
        for (int r = 0; r < maxReads; r++) {
            int n;
            int room;
            if (big != null) {
                room = big.length - bigHave;
                n = in.read(ByteBuffer.wrap(big, bigHave, room));
                if (n > 0 && (bigHave += n) == big.length) {
                    byte[] whole = big;
                    big = null;
                    sink.frame(whole, 0, whole.length);
                }
            } else {
                room = buf.length - end;
                n = in.read(view.limit(buf.length).position(end));
                if (n > 0) {
                    end += n;
                    cut(sink);
                }
            }
            if (n <= 0) {
                return n == 0;
            }
            if (n < room) {
                // The socket gave less than there was room for: it had no more. Another read now
                // would almost always find nothing (a system call per poll, a third of all reads
                // in dist_spawn); the selector is level-triggered and reports what comes later.
                return true;
            }
        }
        return true;
    }

    /** Hands on the whole frames in the buffer and keeps the cut one at its start. */
    private void cut(Sink sink) throws ProtocolException {
        while (end - start >= 4) {
            int len = frameLength(buf, start);
            if (len > buf.length - 4) {
                // Never whole in the buffer: it gets an array of its own, filled by the next reads.
                big = new byte[len];
                bigHave = end - start - 4;
                System.arraycopy(buf, start + 4, big, 0, bigHave);
                start = end = 0;
                return;
            }
            if (end - start - 4 < len) {
                break;
            }
            start += 4;
            sink.frame(buf, start, len);
            start += len;
        }
        if (start == end) {
            start = end = 0;
        } else if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
    }

    /** The length of the frame at {@code at}, checked against the message limit. */
    private int frameLength(byte[] b, int at) throws ProtocolException {
        int len = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        if (len < 0 || len > maxMessage) {
            throw new ProtocolException("a frame of " + Integer.toUnsignedString(len)
                    + " bytes exceeds the limit of " + maxMessage);
        }
        return len;
    }
}

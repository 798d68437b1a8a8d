package io.loomix.internal;

import io.loomix.PortOptions;

import java.util.Arrays;
import java.util.List;

/**
 * Cuts the bytes a port's program writes into messages, by the port's framing. A pure state
 * machine fed with whatever each read of the pipe returned, so it is tested without programs.
 * One thread only (the port's reader).
 */
abstract sealed class Deframer {
    /** One message's bytes; {@code partial} is Erlang's {@code noeol} in line mode. */
    record Frame(byte[] bytes, boolean partial) {}

    /** Appends to {@code out} the frames that {@code buf[off, off + len)} completes. */
    abstract void feed(byte[] buf, int off, int len, List<Frame> out);

    /** The stream has ended: appends what is left that makes a frame. */
    abstract void finish(List<Frame> out);

    static Deframer of(PortOptions.Framing framing) {
        return switch (framing) {
            case PortOptions.Stream s -> new Stream();
            case PortOptions.Line l -> new Line(l.max());
            case PortOptions.Packet p -> new Packet(p.headerBytes());
        };
    }

    static final class Stream extends Deframer {
        @Override
        void feed(byte[] buf, int off, int len, List<Frame> out) {
            if (len > 0) {
                out.add(new Frame(Arrays.copyOfRange(buf, off, off + len), false));
            }
        }

        @Override
        void finish(List<Frame> out) {}
    }

    /**
     * Erlang's {@code {line, N}}: a full buffer is sent as {@code noeol} only when one more
     * non-newline byte arrives, so a line of exactly N bytes still comes as one {@code eol}.
     */
    static final class Line extends Deframer {
        private final int max;
        private byte[] line;
        private int size;

        Line(int max) {
            this.max = max;
            this.line = new byte[Math.min(max, 256)];
        }

        @Override
        void feed(byte[] buf, int off, int len, List<Frame> out) {
            for (int i = off; i < off + len; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    out.add(take(false));
                    continue;
                }
                if (size == max) {
                    out.add(take(true));
                }
                if (size == line.length) {
                    line = Arrays.copyOf(line, Math.min(max, line.length * 2));
                }
                line[size++] = b;
            }
        }

        private Frame take(boolean partial) {
            Frame f = new Frame(Arrays.copyOf(line, size), partial);
            size = 0;
            return f;
        }

        @Override
        void finish(List<Frame> out) {
            if (size > 0) {
                out.add(take(true));
            }
        }
    }

    /** Erlang's {@code {packet, N}}: a big-endian length of N bytes, then that many bytes. */
    static final class Packet extends Deframer {
        private final int headerBytes;
        private int headerSeen;
        private long length;
        private byte[] body;
        private int filled;

        Packet(int headerBytes) {
            this.headerBytes = headerBytes;
        }

        @Override
        void feed(byte[] buf, int off, int len, List<Frame> out) {
            int i = off;
            int end = off + len;
            while (i < end) {
                if (body == null) {
                    length = (length << 8) | (buf[i++] & 0xff);
                    if (++headerSeen == headerBytes) {
                        if (length > Integer.MAX_VALUE - 16) {
                            throw new IllegalStateException("packet of " + length + " bytes is too large");
                        }
                        body = new byte[(int) length];
                        filled = 0;
                    }
                } else {
                    int n = Math.min(body.length - filled, end - i);
                    System.arraycopy(buf, i, body, filled, n);
                    filled += n;
                    i += n;
                }
                if (body != null && filled == body.length) {
                    out.add(new Frame(body, false));
                    body = null;
                    headerSeen = 0;
                    length = 0;
                }
            }
        }

        /** A packet cut short by the end of the stream is dropped, as Erlang drops it. */
        @Override
        void finish(List<Frame> out) {}

        /** The header to put before {@code size} bytes sent to the program. */
        static byte[] header(int headerBytes, int size) {
            if (headerBytes < 4 && size >= 1 << (8 * headerBytes)) {
                throw new IllegalArgumentException("badarg: " + size + " bytes do not fit a {packet, "
                        + headerBytes + "} length header (at most " + ((1 << (8 * headerBytes)) - 1) + ")");
            }
            byte[] h = new byte[headerBytes];
            for (int i = headerBytes - 1, v = size; i >= 0; i--, v >>>= 8) {
                h[i] = (byte) v;
            }
            return h;
        }
    }
}

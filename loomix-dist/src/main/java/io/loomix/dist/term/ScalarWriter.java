package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.PortId;
import io.loomix.Ref;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The buffer of a {@link TermEncoder} and the writers of terms that hold no other terms. Every
 * write is straight into the array: no streams, no per-byte calls, no boxing.
 */
abstract sealed class ScalarWriter permits TermEncoder {
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final Atom TRUE = Atom.of("true");
    static final Atom FALSE = Atom.of("false");

    byte[] buf;
    int pos;
    /** Scratch for the characters of strings being written. */
    private char[] chars = new char[64];

    /** Encoded atoms, by identity, so an atom's UTF-8 form is made once per encoder. */
    private final Atom[] atomKeys = new Atom[512];
    private final byte[][] atomBytes = new byte[512][];

    ScalarWriter(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    final void ensure(int n) {
        if (buf.length - pos < n) {
            grow(n);
        }
    }

    private void grow(int n) {
        long want = Math.max((long) buf.length * 2, (long) pos + n);
        if (want > Integer.MAX_VALUE - 16) {
            if ((long) pos + n > Integer.MAX_VALUE - 16) {
                throw new EncodeException("term too large: more than 2 GiB encoded");
            }
            want = Integer.MAX_VALUE - 16;
        }
        buf = Arrays.copyOf(buf, (int) want);
    }

    final void put1(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    final void put4(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
    }

    final void put8(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
    }

    final void atom(Atom a) {
        int slot = System.identityHashCode(a) & (atomKeys.length - 1);
        byte[] b;
        if (atomKeys[slot] == a) {
            b = atomBytes[slot];
        } else {
            b = a.name().getBytes(StandardCharsets.UTF_8);
            atomKeys[slot] = a;
            atomBytes[slot] = b;
        }
        int n = b.length;
        ensure(3 + n);
        if (n <= 255) {
            buf[pos] = (byte) Tag.SMALL_ATOM_UTF8;
            buf[pos + 1] = (byte) n;
            pos += 2;
        } else {
            buf[pos] = (byte) Tag.ATOM_UTF8;
            buf[pos + 1] = (byte) (n >>> 8);
            buf[pos + 2] = (byte) n;
            pos += 3;
        }
        System.arraycopy(b, 0, buf, pos, n);
        pos += n;
    }

    final void integer(long v) {
        ensure(11); // the longest: SMALL_BIG, n, sign and 8 digits
        if (v >= 0 && v <= 255) {
            buf[pos] = (byte) Tag.SMALL_INTEGER;
            buf[pos + 1] = (byte) v;
            pos += 2;
        } else if (v == (int) v) {
            buf[pos] = (byte) Tag.INTEGER;
            INT.set(buf, pos + 1, (int) v);
            pos += 5;
        } else {
            // SMALL_BIG: magnitude little-endian; Long.MIN_VALUE's magnitude is 2^63, still 8 bytes unsigned
            long mag = v < 0 ? -v : v;
            int n = (64 - Long.numberOfLeadingZeros(mag) + 7) >>> 3;
            buf[pos] = (byte) Tag.SMALL_BIG;
            buf[pos + 1] = (byte) n;
            buf[pos + 2] = (byte) (v < 0 ? 1 : 0);
            pos += 3;
            for (int i = 0; i < n; i++) {
                buf[pos++] = (byte) (mag >>> (8 * i));
            }
        }
    }

    final void big(BigInteger big) {
        if (big.bitLength() <= 63) {
            integer(big.longValue());
            return;
        }
        byte[] mag = big.abs().toByteArray(); // big-endian, maybe with a leading 0
        int skip = mag[0] == 0 ? 1 : 0;
        int n = mag.length - skip;
        ensure(6 + n);
        if (n <= 255) {
            buf[pos++] = (byte) Tag.SMALL_BIG;
            buf[pos++] = (byte) n;
        } else {
            buf[pos++] = (byte) Tag.LARGE_BIG;
            INT.set(buf, pos, n);
            pos += 4;
        }
        buf[pos++] = (byte) (big.signum() < 0 ? 1 : 0);
        for (int i = mag.length - 1; i >= skip; i--) {
            buf[pos++] = mag[i];
        }
    }

    final void newFloat(double d) {
        if (!Double.isFinite(d)) {
            throw new EncodeException("Erlang floats are finite, got " + d);
        }
        ensure(9);
        buf[pos] = (byte) Tag.NEW_FLOAT;
        LONG.set(buf, pos + 1, Double.doubleToRawLongBits(d));
        pos += 9;
    }

    final void binaryHeader(int n) {
        ensure(5 + n);
        buf[pos] = (byte) Tag.BINARY;
        INT.set(buf, pos + 1, n);
        pos += 5;
    }

    final void binary(Binary b) {
        int n = b.size();
        binaryHeader(n);
        b.copyTo(buf, pos);
        pos += n;
    }

    /** A String as an Elixir string: a binary of its UTF-8, written straight into the buffer. */
    final void string(String s) {
        int len = s.length();
        ensure(5 + len);
        int start = pos;
        buf[start] = (byte) Tag.BINARY;
        int p = start + 5;
        // getChars into a kept array is one intrinsic copy; charAt would check the coder per char
        char[] cs = chars.length >= len ? chars : (chars = new char[Math.max(len, 2 * chars.length)]);
        s.getChars(0, len, cs, 0);
        byte[] b = buf;
        int i = 0;
        for (; i < len; i++) {
            char c = cs[i];
            if (c >= 0x80) break;
            b[p++] = (byte) c;
        }
        if (i < len) {
            pos = p;
            p = utf8Tail(s, i);
        }
        INT.set(buf, start + 1, p - start - 5);
        pos = p;
    }

    /** The rest of {@code s} from {@code i} as UTF-8 at {@link #pos}; returns the end. */
    private int utf8Tail(String s, int i) {
        int len = s.length();
        ensure(3 * (len - i));
        int p = pos;
        byte[] b = buf;
        while (i < len) {
            char c = s.charAt(i++);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i < len && Character.isLowSurrogate(s.charAt(i))) {
                int cp = Character.toCodePoint(c, s.charAt(i++));
                b[p++] = (byte) (0xF0 | cp >> 18);
                b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                throw new EncodeException("string has a lone surrogate at index " + (i - 1)
                        + "; it has no UTF-8 form");
            } else {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return p;
    }

    final void charlist(String text) {
        int n = text.codePointCount(0, text.length());
        if (n == 0) {
            put1(Tag.NIL);
            return;
        }
        boolean bytes = n <= 0xFFFF && text.chars().allMatch(c -> c <= 255);
        if (bytes) {
            ensure(3 + n);
            buf[pos] = (byte) Tag.STRING;
            buf[pos + 1] = (byte) (n >>> 8);
            buf[pos + 2] = (byte) n;
            pos += 3;
            for (int i = 0; i < n; i++) {
                buf[pos++] = (byte) text.charAt(i);
            }
            return;
        }
        put1(Tag.LIST);
        put4(n);
        text.codePoints().forEach(this::integer);
        put1(Tag.NIL);
    }

    final void tupleHeader(int n) {
        ensure(5);
        if (n <= 255) {
            buf[pos] = (byte) Tag.SMALL_TUPLE;
            buf[pos + 1] = (byte) n;
            pos += 2;
        } else {
            buf[pos] = (byte) Tag.LARGE_TUPLE;
            INT.set(buf, pos + 1, n);
            pos += 5;
        }
    }

    final void mapHeader(int n) {
        ensure(5);
        buf[pos] = (byte) Tag.MAP;
        INT.set(buf, pos + 1, n);
        pos += 5;
    }

    final void pid(Pid p) {
        put1(Tag.NEW_PID);
        atom(p.node());
        ensure(12);
        INT.set(buf, pos, p.id());
        INT.set(buf, pos + 4, p.serial());
        INT.set(buf, pos + 8, p.creation());
        pos += 12;
    }

    final void ref(Ref r) {
        int n = r.wordCount();
        put1(Tag.NEWER_REFERENCE);
        put1(0);
        put1(n);
        atom(r.node());
        ensure(4 + 4 * n);
        INT.set(buf, pos, r.creation());
        pos += 4;
        for (int i = 0; i < n; i++) {
            INT.set(buf, pos, r.word(i));
            pos += 4;
        }
    }

    final void port(PortId p) {
        boolean small = p.id() >>> 32 == 0;
        put1(small ? Tag.NEW_PORT : Tag.V4_PORT);
        atom(p.node());
        if (small) {
            put4((int) p.id());
        } else {
            put8(p.id());
        }
        put4(p.creation());
    }
}

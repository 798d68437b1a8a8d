package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.PortId;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Writes Java values as Erlang's external term format into a growable buffer that the caller
 * reuses: {@link #reset()}, write a frame, send {@code buffer()[0..position())}, repeat.
 * The mapping between Java values and terms is the one in {@code docs/notes/etf.md}.
 *
 * {@snippet :
 * TermEncoder out = new TermEncoder();
 * out.writeVersioned(Tuple.of(Atom.of("ok"), 42));   // term_to_binary({ok, 42})
 * socket.write(ByteBuffer.wrap(out.buffer(), 0, out.position()));
 * }
 *
 * <p>One thread at a time: an encoder is a connection's (or a sender's) own scratch space.
 */
public final class TermEncoder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int MAX_DEPTH = 10_000;
    private static final Atom TRUE = Atom.of("true");
    private static final Atom FALSE = Atom.of("false");
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom EXIT = Atom.of("EXIT");
    private static final Atom PROCESS = Atom.of("process");

    private final TermRegistry registry;
    private byte[] buf;
    private int pos;

    /** Encoded atoms, by identity, so an atom's UTF-8 form is made once per encoder. */
    private final Atom[] atomKeys = new Atom[512];
    private final byte[][] atomBytes = new byte[512][];

    /** An encoder with the built-in mapping only (no registered records). */
    public TermEncoder() {
        this(TermRegistry.DEFAULT);
    }

    /** An encoder that writes registered records as tagged tuples or Elixir structs. */
    public TermEncoder(TermRegistry registry) {
        this(registry, 256);
    }

    public TermEncoder(TermRegistry registry, int initialCapacity) {
        this.registry = java.util.Objects.requireNonNull(registry, "registry");
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    // ---- the buffer ----

    /** Empties the buffer, keeping its memory. */
    public TermEncoder reset() {
        pos = 0;
        return this;
    }

    /** The number of bytes written since the last {@link #reset()}. */
    public int position() {
        return pos;
    }

    /** The buffer itself, valid from 0 to {@link #position()}; replaced when it grows. */
    public byte[] buffer() {
        return buf;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** What was written, as a buffer over this encoder's array (valid until the next write). */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(buf, 0, pos);
    }

    private void ensure(int n) {
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

    /** Appends one byte (for framing around terms: headers, pass-through bytes). */
    public TermEncoder writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
        return this;
    }

    /** Appends a big-endian 32-bit value. */
    public TermEncoder writeInt(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
        return this;
    }

    /** Appends a big-endian 64-bit value. */
    public TermEncoder writeLong(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
        return this;
    }

    /** Appends raw bytes. */
    public TermEncoder writeBytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, pos, length);
        pos += length;
        return this;
    }

    /** Overwrites 4 bytes at {@code at} (to fill in a length once it is known). */
    public void putInt(int at, int v) {
        java.util.Objects.checkFromIndexSize(at, 4, pos);
        INT.set(buf, at, v);
    }

    // ---- terms ----

    /** Appends {@code 131} and the term: what {@code term_to_binary/1} produces. */
    public TermEncoder writeVersioned(Object term) {
        writeByte(Tag.VERSION);
        return writeTerm(term);
    }

    /** Appends the term without the version byte (as terms after a distribution header are sent). */
    public TermEncoder writeTerm(Object term) {
        int start = pos;
        try {
            term(term, 0);
        } catch (RuntimeException e) {
            pos = start; // a failed term leaves nothing half-written behind
            throw e;
        }
        return this;
    }

    /**
     * Appends {@code 131, 80}, the uncompressed size and the zlib-compressed term: what
     * {@code term_to_binary(T, [{compressed, Level}])} produces.
     *
     * @param level 0 to 9, as for {@link Deflater}
     */
    public TermEncoder writeCompressed(Object term, int level) {
        TermEncoder plain = new TermEncoder(registry, 256);
        plain.writeTerm(term);
        writeByte(Tag.VERSION);
        writeByte(Tag.COMPRESSED);
        writeInt(plain.pos);
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(plain.buf, 0, plain.pos);
            deflater.finish();
            while (!deflater.finished()) {
                ensure(Math.max(64, plain.pos / 4));
                pos += deflater.deflate(buf, pos, buf.length - pos);
            }
        } finally {
            deflater.end();
        }
        return this;
    }

    private void term(Object t, int depth) {
        if (depth > MAX_DEPTH) {
            throw new EncodeException("term nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        switch (t) {
            case Atom a -> atom(a);
            case Long l -> integer(l);
            case Integer i -> integer(i);
            case String s -> string(s);
            case Binary b -> binary(b);
            case Tuple tuple -> {
                int n = tuple.size();
                tupleHeader(n);
                for (int i = 0; i < n; i++) {
                    term(tuple.get(i), depth + 1);
                }
            }
            case Pid p -> pid(p);
            case Ref r -> ref(r);
            case List<?> list -> list(list, depth);
            case Map<?, ?> map -> map(map, depth);
            case Boolean b -> atom(b ? TRUE : FALSE);
            case Double d -> newFloat(d);
            case Float f -> newFloat(f);
            case Short s -> integer(s);
            case Byte b -> integer(b);
            case BigInteger big -> big(big);
            case ExitReason reason -> term(ExitReasons.toTerm(reason), depth + 1);
            case Down d -> {
                tupleHeader(5);
                atom(DOWN);
                ref(d.ref());
                atom(PROCESS);
                term(d.object(), depth + 1);
                term(ExitReasons.toTerm(d.reason()), depth + 1);
            }
            case Exit e -> {
                tupleHeader(3);
                atom(EXIT);
                pid(e.from());
                term(ExitReasons.toTerm(e.reason()), depth + 1);
            }
            case Name n -> {
                tupleHeader(2);
                atom(n.name());
                atom(n.node());
            }
            case ImproperList il -> {
                List<Object> elements = il.elements();
                writeByte(Tag.LIST);
                writeInt(elements.size());
                for (Object o : elements) {
                    term(o, depth + 1);
                }
                term(il.tail(), depth + 1);
            }
            case Charlist c -> charlist(c.text());
            case BitBinary bits -> {
                Binary b = bits.bytes();
                ensure(6 + b.size());
                buf[pos] = (byte) Tag.BIT_BINARY;
                INT.set(buf, pos + 1, b.size());
                buf[pos + 5] = (byte) bits.bitsInLastByte();
                b.copyTo(buf, pos + 6);
                pos += 6 + b.size();
            }
            case PortId p -> port(p);
            case Export e -> {
                writeByte(Tag.EXPORT);
                atom(e.module());
                atom(e.function());
                writeByte(Tag.SMALL_INTEGER);
                writeByte(e.arity());
            }
            case Fun f -> fun(f, depth);
            case byte[] bytes -> {
                binaryHeader(bytes.length);
                writeBytes(bytes, 0, bytes.length);
            }
            case Character c -> integer(c);
            case Enum<?> e -> atom(Atom.of(e.name().toLowerCase(java.util.Locale.ROOT)));
            default -> {
                Mapping m = registry.forClass(t.getClass());
                if (m == null) {
                    throw new EncodeException(noMapping(t));
                }
                m.encode(t, this, depth);
            }
        }
    }

    /** Encodes a component of a registered record (called back by the registry). */
    void component(Object value, int depth) {
        if (value == null) {
            throw new EncodeException("a record component is null; Erlang terms have no null"
                    + " (use an atom such as undefined or nil)");
        }
        term(value, depth + 1);
    }

    private static String noMapping(Object t) {
        Class<?> c = t.getClass();
        if (c.isRecord()) {
            return "no Erlang term for record " + c.getName() + ": register it with TermRegistry.builder()"
                    + ".record(" + c.getSimpleName() + ".class, \"tag\") (a tagged tuple) or .struct(...) (an"
                    + " Elixir struct)";
        }
        if (c.isArray()) {
            return "no Erlang term for an array of " + c.getComponentType().getName() + ": use a List (or byte[]"
                    + " / Binary for a binary)";
        }
        return "no Erlang term for a " + c.getName() + " (" + t + "); see the mapping in docs/notes/etf.md";
    }

    void atom(Atom a) {
        int slot = System.identityHashCode(a) & (atomKeys.length - 1);
        byte[] b;
        if (atomKeys[slot] == a) {
            b = atomBytes[slot];
        } else {
            b = a.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

    void integer(long v) {
        ensure(10);
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

    private void big(BigInteger big) {
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

    private void newFloat(double d) {
        if (!Double.isFinite(d)) {
            throw new EncodeException("Erlang floats are finite, got " + d);
        }
        ensure(9);
        buf[pos] = (byte) Tag.NEW_FLOAT;
        LONG.set(buf, pos + 1, Double.doubleToRawLongBits(d));
        pos += 9;
    }

    private void binaryHeader(int n) {
        ensure(5 + n);
        buf[pos] = (byte) Tag.BINARY;
        INT.set(buf, pos + 1, n);
        pos += 5;
    }

    private void binary(Binary b) {
        int n = b.size();
        binaryHeader(n);
        b.copyTo(buf, pos);
        pos += n;
    }

    /** A String as an Elixir string: a binary of its UTF-8, written straight into the buffer. */
    private void string(String s) {
        int len = s.length();
        ensure(5 + len);
        int start = pos;
        buf[start] = (byte) Tag.BINARY;
        int p = start + 5;
        int i = 0;
        for (; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) break;
            buf[p++] = (byte) c;
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

    private void charlist(String text) {
        int n = text.codePointCount(0, text.length());
        if (n == 0) {
            writeByte(Tag.NIL);
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
        writeByte(Tag.LIST);
        writeInt(n);
        text.codePoints().forEach(this::integer);
        writeByte(Tag.NIL);
    }

    void tupleHeader(int n) {
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

    void mapHeader(int n) {
        ensure(5);
        buf[pos] = (byte) Tag.MAP;
        INT.set(buf, pos + 1, n);
        pos += 5;
    }

    private void list(List<?> list, int depth) {
        int n = list.size();
        if (n == 0) {
            writeByte(Tag.NIL);
            return;
        }
        ensure(5);
        buf[pos] = (byte) Tag.LIST;
        INT.set(buf, pos + 1, n);
        pos += 5;
        int written = 0;
        for (Object o : list) {
            if (o == null) {
                throw new EncodeException("list element " + written + " is null; Erlang terms have no null");
            }
            term(o, depth + 1);
            written++;
        }
        if (written != n) {
            throw new EncodeException("list changed size while being encoded (" + n + " -> " + written + ")");
        }
        writeByte(Tag.NIL);
    }

    private void map(Map<?, ?> map, int depth) {
        mapHeader(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new EncodeException("map entry " + e.getKey() + " => " + e.getValue()
                        + " holds null; Erlang terms have no null");
            }
            term(e.getKey(), depth + 1);
            term(e.getValue(), depth + 1);
        }
    }

    void pid(Pid p) {
        writeByte(Tag.NEW_PID);
        atom(p.node());
        ensure(12);
        INT.set(buf, pos, p.id());
        INT.set(buf, pos + 4, p.serial());
        INT.set(buf, pos + 8, p.creation());
        pos += 12;
    }

    void ref(Ref r) {
        int n = r.wordCount();
        writeByte(Tag.NEWER_REFERENCE);
        writeByte(0);
        writeByte(n);
        atom(r.node());
        ensure(4 + 4 * n);
        INT.set(buf, pos, r.creation());
        pos += 4;
        for (int i = 0; i < n; i++) {
            INT.set(buf, pos, r.word(i));
            pos += 4;
        }
    }

    private void port(PortId p) {
        boolean small = p.id() >>> 32 == 0;
        writeByte(small ? Tag.NEW_PORT : Tag.V4_PORT);
        atom(p.node());
        if (small) {
            writeInt((int) p.id());
        } else {
            writeLong(p.id());
        }
        writeInt(p.creation());
    }

    private void fun(Fun f, int depth) {
        int start = pos;
        writeByte(Tag.NEW_FUN);
        writeInt(0); // size, filled in below
        writeByte(f.arity());
        ensure(16);
        f.uniq().copyTo(buf, pos);
        pos += 16;
        writeInt(f.index());
        writeInt(f.freeVars().size());
        atom(f.module());
        integer(f.oldIndex());
        integer(f.oldUniq());
        pid(f.pid());
        for (Object v : f.freeVars()) {
            term(v, depth + 1);
        }
        putInt(start + 1, pos - start - 1);
    }
}

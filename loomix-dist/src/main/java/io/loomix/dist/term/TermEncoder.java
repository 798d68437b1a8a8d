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

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
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
public final class TermEncoder extends ScalarWriter {
    private static final int MAX_DEPTH = 100_000;
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom EXIT = Atom.of("EXIT");
    private static final Atom PROCESS = Atom.of("process");

    private final TermRegistry registry;

    /** An encoder with the built-in mapping only (no registered records). */
    public TermEncoder() {
        this(TermRegistry.DEFAULT);
    }

    /** An encoder that writes registered records as tagged tuples or Elixir structs. */
    public TermEncoder(TermRegistry registry) {
        this(registry, 256);
    }

    public TermEncoder(TermRegistry registry, int initialCapacity) {
        super(initialCapacity);
        this.registry = java.util.Objects.requireNonNull(registry, "registry");
    }

    // ---- the buffer ----

    /** Empties the buffer, keeping its memory. */
    public TermEncoder reset() {
        pos = 0;
        return this;
    }

    /**
     * Empties the buffer and gives back memory a large term made it grow to: the buffer returns to
     * {@code capacity} bytes if it is larger. For a connection to call when idle after big messages.
     */
    public TermEncoder reset(int capacity) {
        pos = 0;
        if (buf.length > capacity) {
            buf = new byte[Math.max(16, capacity)];
        }
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

    /** Appends one byte (for framing around terms: headers, pass-through bytes). */
    public TermEncoder writeByte(int b) {
        put1(b);
        return this;
    }

    /** Appends a big-endian 32-bit value. */
    public TermEncoder writeInt(int v) {
        put4(v);
        return this;
    }

    /** Appends a big-endian 64-bit value. */
    public TermEncoder writeLong(long v) {
        put8(v);
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
            term(term);
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

    // ---- terms: a loop over an explicit stack, so nesting costs heap, never the thread's stack ----

    /** Says "this container has no more children". Never a term. */
    private static final Object END = new Object();

    private static final int TUPLE = 0, LIST = 1, IMPROPER = 2, MAP = 3, FUN = 4, RECORD = 5;

    /** A container being written. Frames are reused; {@link #clear} drops their references. */
    private static final class Open {
        int kind;
        Tuple tuple;
        Iterator<?> children;
        Object pending;
        Mapping mapping;
        Object record;
        int i;
        int n;
        int at;
    }

    private Open[] stack = new Open[16];
    private int sp;

    private void term(Object root) {
        int base = sp;
        try {
            Object t = root;
            while (true) {
                one(t);
                t = END;
                while (sp > base && (t = next(stack[sp - 1])) == END) {
                    Open done = stack[--sp];
                    close(done);
                    clear(done);
                }
                if (t == END) {
                    return;
                }
            }
        } finally {
            for (int i = base; i < sp; i++) {
                clear(stack[i]);
            }
            sp = base;
        }
    }

    private Open push(int kind) {
        if (sp >= MAX_DEPTH) {
            throw new EncodeException("term nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
        }
        Open f = stack[sp];
        if (f == null) {
            f = stack[sp] = new Open();
        }
        sp++;
        f.kind = kind;
        f.i = 0;
        return f;
    }

    private static void clear(Open f) {
        f.tuple = null;
        f.children = null;
        f.pending = null;
        f.mapping = null;
        f.record = null;
    }

    /** The next child of {@code f} to write, or {@link #END}. */
    private Object next(Open f) {
        switch (f.kind) {
            case TUPLE:
                return f.i < f.n ? f.tuple.get(f.i++) : END;
            case MAP: {
                Object value = f.pending;
                if (value != null) {
                    f.pending = null;
                    return value;
                }
                if (!f.children.hasNext()) {
                    return END;
                }
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) f.children.next();
                if (e.getKey() == null || e.getValue() == null) {
                    throw new EncodeException("map entry " + e.getKey() + " => " + e.getValue()
                            + " holds null; Erlang terms have no null");
                }
                f.pending = e.getValue();
                return e.getKey();
            }
            case RECORD:
                while (f.i < f.n) {
                    Object v = f.mapping.field(f.record, f.i++, this);
                    if (v != Mapping.WRITTEN) {
                        return v;
                    }
                }
                return END;
            default: {
                if (f.children.hasNext()) {
                    Object o = f.children.next();
                    if (o == null) {
                        throw new EncodeException("element " + f.i + " of a list is null; Erlang terms have no null");
                    }
                    f.i++;
                    return o;
                }
                if (f.kind == IMPROPER && f.pending != null) {
                    Object tail = f.pending;
                    f.pending = null;
                    return tail;
                }
                return END;
            }
        }
    }

    /** What a container writes after its children. */
    private void close(Open f) {
        if (f.kind == LIST) {
            if (f.i != f.n) {
                throw new EncodeException("list changed size while being encoded (" + f.n + " -> " + f.i + ")");
            }
            writeByte(Tag.NIL);
        } else if (f.kind == FUN) {
            putInt(f.at + 1, pos - f.at - 1);
        }
    }

    /** Writes a scalar, or the header of a container and opens it. */
    private void one(Object t) {
        // the commonest classes first, by an exact class test, ahead of the general switch
        Class<?> type = t.getClass();
        if (type == Atom.class) {
            atom((Atom) t);
            return;
        }
        if (type == Long.class) {
            integer((Long) t);
            return;
        }
        if (type == Tuple.class) {
            tuple((Tuple) t);
            return;
        }
        if (type == Pid.class) {
            pid((Pid) t);
            return;
        }
        if (type == Binary.class) {
            binary((Binary) t);
            return;
        }
        if (type == String.class) {
            string((String) t);
            return;
        }
        switch (t) {
            case Atom a -> atom(a);
            case Long l -> integer(l);
            case Integer i -> integer(i);
            case String s -> string(s);
            case Binary b -> binary(b);
            case Tuple tuple -> tuple(tuple);
            case Pid p -> pid(p);
            case Ref r -> ref(r);
            case List<?> list -> {
                int n = list.size();
                if (n == 0) {
                    writeByte(Tag.NIL);
                    return;
                }
                writeByte(Tag.LIST);
                writeInt(n);
                Open f = push(LIST);
                f.children = list.iterator();
                f.n = n;
            }
            case Map<?, ?> map -> {
                mapHeader(map.size());
                if (!map.isEmpty()) {
                    push(MAP).children = map.entrySet().iterator();
                }
            }
            case Boolean b -> atom(b ? TRUE : FALSE);
            case Double d -> newFloat(d);
            case Float f -> newFloat(f);
            case Short s -> integer(s);
            case Byte b -> integer(b);
            case BigInteger big -> big(big);
            case ExitReason reason -> one(ExitReasons.toTerm(reason));
            case Down d -> one(Tuple.of(DOWN, d.ref(), PROCESS, d.object(), ExitReasons.toTerm(d.reason())));
            case Exit e -> one(Tuple.of(EXIT, e.from(), ExitReasons.toTerm(e.reason())));
            case Name n -> {
                tupleHeader(2);
                atom(n.name());
                atom(n.node());
            }
            case ImproperList il -> {
                writeByte(Tag.LIST);
                writeInt(il.elements().size());
                Open f = push(IMPROPER);
                f.children = il.elements().iterator();
                f.pending = il.tail();
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
            case Fun f -> fun(f);
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
                m.header(this);
                Open f = push(RECORD);
                f.mapping = m;
                f.record = t;
                f.n = m.arity();
            }
        }
    }

    private void tuple(Tuple tuple) {
        int n = tuple.size();
        tupleHeader(n);
        if (n > 0) {
            Open f = push(TUPLE);
            f.tuple = tuple;
            f.n = n;
        }
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

    private void fun(Fun f) {
        int start = pos;
        writeByte(Tag.NEW_FUN);
        writeInt(0); // the size, filled in when the free variables are written
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
        Open o = push(FUN);
        o.children = f.freeVars().iterator();
        o.at = start;
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.PortId;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads Erlang's external term format into Java values (the mapping is in {@code docs/notes/etf.md}).
 * A connection keeps one decoder and points it at each frame with {@link #reset}.
 *
 * <p>Bad input throws {@link DecodeException} with the offset and what was wrong; every length the
 * input claims is checked against the bytes that are really there before anything is allocated,
 * nesting is bounded, and the atoms one decoder may add to the node's atom table are counted
 * ({@link DecodeLimits}), so a hostile peer costs at most its own frames.
 *
 * <p>One thread at a time.
 */
public final class TermDecoder {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final Long[] SMALL = new Long[256];
    private static final Atom TRUE = Atom.of("true");
    private static final Atom FALSE = Atom.of("false");

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = (long) i;
        }
    }

    private final TermRegistry registry;
    private final DecodeLimits limits;
    private final boolean binariesAsStrings;

    private byte[] buf = new byte[0];
    private int pos;
    private int limit;
    /** Where the current input starts, so offsets in errors count from the frame's first byte. */
    private int start;
    private boolean inflated;
    private final AtomReader atoms;
    private Atom[] cacheRefs;

    /** A decoder with the built-in mapping and {@link DecodeLimits#DEFAULT}. */
    public TermDecoder() {
        this(TermRegistry.DEFAULT, DecodeLimits.DEFAULT);
    }

    public TermDecoder(TermRegistry registry, DecodeLimits limits) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.binariesAsStrings = registry.binariesAsStrings();
        this.atoms = new AtomReader(limits.maxNewAtoms());
    }

    /** Points the decoder at {@code length} bytes of {@code input} from {@code offset}. */
    public TermDecoder reset(byte[] input, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, input.length);
        this.buf = input;
        this.pos = offset;
        this.start = offset;
        this.limit = offset + length;
        this.inflated = false;
        return this;
    }

    /**
     * The atoms that {@code ATOM_CACHE_REF} indexes refer to in the terms that follow a distribution
     * header (the header lists them); {@code null} when the connection does not use the atom cache.
     */
    public void atomCacheRefs(Atom[] refs) {
        this.cacheRefs = refs;
    }

    /**
     * The atom whose UTF-8 text is {@code len} bytes of {@code b} from {@code from}, made under
     * this decoder's limit of new atoms (for atom text outside terms: a distribution header's).
     */
    public Atom atom(byte[] b, int from, int len) {
        try {
            return atoms.read(b, from, len, true);
        } catch (Problem p) {
            throw new DecodeException(0, p.getMessage());
        }
    }

    /** The index of the next byte to read in the array given to {@link #reset}. */
    public int position() {
        return pos;
    }

    /** Bytes left after the current position. */
    public int remaining() {
        return limit - pos;
    }

    /** How many atoms this decoder has added to the node's atom table so far. */
    public int newAtoms() {
        return atoms.newAtoms();
    }

    /** Reads {@code 131} and a term, compressed or not: what {@code binary_to_term/1} reads. */
    public Object readVersioned() {
        int v = u8();
        if (v != Tag.VERSION) {
            throw error(pos - 1, "expected the version byte 131, got " + v);
        }
        if (pos < limit && (buf[pos] & 0xFF) == Tag.COMPRESSED) {
            pos++;
            return compressed();
        }
        return term();
    }

    /** Reads one term without a version byte (the terms after a distribution header). */
    public Object readTerm() {
        return term();
    }

    // ---- reading primitives: every read is checked against limit ----

    private DecodeException error(int at, String problem) {
        return new DecodeException(at - start, inflated ? problem + " (in the uncompressed term)" : problem);
    }

    private void need(int n, String what) {
        if (n < 0 || limit - pos < n) {
            throw error(pos, "truncated: " + what + " needs " + Integer.toUnsignedString(n) + " bytes, "
                    + (limit - pos) + " left");
        }
    }

    private int u8() {
        if (pos >= limit) {
            throw error(pos, "truncated: expected a byte, input ended");
        }
        return buf[pos++] & 0xFF;
    }

    private int u16() {
        need(2, "a 2-byte length");
        int v = (short) SHORT.get(buf, pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    private int i32() {
        need(4, "a 4-byte field");
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    private long i64() {
        need(8, "an 8-byte field");
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    /** A 4-byte count of things that each take at least {@code minBytes} of the rest of the input. */
    private int count(int minBytes, String what) {
        int at = pos;
        long n = i32() & 0xFFFF_FFFFL;
        if (n * minBytes > limit - pos) {
            throw error(at, what + " claims " + n + " elements but only " + (limit - pos) + " bytes follow");
        }
        return (int) n;
    }

    // ---- terms: a loop over an explicit stack, so nesting costs heap, never the thread's stack ----

    /** Says "a container was opened; read its first child". Never a decoded term. */
    private static final Object MORE = new Object();

    private DecodeFrame[] stack = new DecodeFrame[16];
    private int sp;

    private Object term() {
        int base = sp;
        try {
            while (true) {
                Object v = start();
                while (v != MORE) {
                    if (sp == base) {
                        return v;
                    }
                    DecodeFrame f = stack[sp - 1];
                    if (put(f, v)) {
                        v = MORE;
                    } else {
                        sp--;
                        v = finish(f);
                    }
                }
            }
        } finally {
            for (int i = base; i < sp; i++) {
                stack[i].release();
            }
            sp = base;
        }
    }

    /** Reads a tag: a scalar's value, or {@link #MORE} after opening a container. */
    private Object start() {
        int at = pos;
        int tag = u8();
        switch (tag) {
            case Tag.SMALL_INTEGER:
                return SMALL[u8()];
            case Tag.INTEGER:
                return (long) i32();
            case Tag.SMALL_ATOM_UTF8:
                return bool(atom(u8(), true, at));
            case Tag.ATOM_UTF8:
                return bool(atom(u16(), true, at));
            case Tag.SMALL_TUPLE:
                return tuple(u8(), at);
            case Tag.LARGE_TUPLE:
                return tuple(count(1, "tuple"), at);
            case Tag.NIL:
                return List.of();
            case Tag.BINARY:
                return binary(count(1, "binary"));
            case Tag.LIST:
                return list(at);
            case Tag.STRING:
                return string();
            case Tag.NEW_PID:
                return pid(true);
            case Tag.NEWER_REFERENCE:
                return ref(true, at);
            case Tag.MAP: {
                int n = count(2, "map");
                return n == 0 ? Map.of() : open(DecodeFrame.MAP, n, at);
            }
            case Tag.NEW_FLOAT:
                return newFloat(at);
            case Tag.SMALL_BIG:
                return big(u8(), at);
            case Tag.LARGE_BIG:
                return big(count(1, "bignum"), at);
            case Tag.ATOM:
                return bool(atom(u16(), false, at));
            case Tag.SMALL_ATOM:
                return bool(atom(u8(), false, at));
            case Tag.ATOM_CACHE_REF:
                return bool(cached(at));
            case Tag.PID:
                return pid(false);
            case Tag.NEW_PORT, Tag.V4_PORT, Tag.PORT:
                return port(tag);
            case Tag.NEW_REFERENCE:
                return ref(false, at);
            case Tag.REFERENCE: {
                Atom node = nodeAtom();
                int id = i32();
                return Ref.of(node, u8(), id);
            }
            case Tag.EXPORT:
                return export(at);
            case Tag.NEW_FUN:
                return fun(at);
            case Tag.BIT_BINARY:
                return bitBinary(at);
            case Tag.FLOAT:
                return oldFloat(at);
            case Tag.COMPRESSED:
                throw error(at, "a compressed term (tag 80) may only follow the version byte");
            case Tag.VERSION:
                throw error(at, "a version byte (131) inside a term");
            case Tag.LOCAL:
                throw error(at, "LOCAL_EXT (tag 121) is a node's private format; peers never send it");
            case Tag.FUN:
                throw error(at, "FUN_EXT (tag 117) was removed in OTP 23");
            default:
                throw error(at, "unknown tag " + tag);
        }
    }

    private Object open(int kind, int n, int at) {
        if (sp >= limits.maxDepth()) {
            throw error(at, "terms nested deeper than " + limits.maxDepth() + " levels (DecodeLimits.maxDepth)");
        }
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
        }
        DecodeFrame f = stack[sp];
        if (f == null) {
            f = stack[sp] = new DecodeFrame();
        }
        sp++;
        f.open(kind, n, at);
        return MORE;
    }

    /** Stores a child; {@code true} while the container needs more. */
    private boolean put(DecodeFrame f, Object v) {
        switch (f.kind) {
            case DecodeFrame.MAP -> {
                int k = f.i >> 1;
                if ((f.i & 1) == 0) {
                    f.items[k] = v;
                } else {
                    f.values[k] = v;
                }
                return ++f.i < 2 * f.n;
            }
            case DecodeFrame.LIST -> {
                if (f.tailNext) {
                    f.tail = v;
                    return false;
                }
                f.items[f.i++] = v;
                return f.i < f.n || !endOfList(f);
            }
            default -> {
                f.items[f.i++] = v;
                return f.i < f.n;
            }
        }
    }

    /** After a list's elements: consumes {@code []}, or says that a tail term follows. */
    private boolean endOfList(DecodeFrame f) {
        if (pos < limit && buf[pos] == Tag.NIL) {
            pos++;
            return true;
        }
        f.tailNext = true;
        return false;
    }

    private Object finish(DecodeFrame f) {
        try {
            return switch (f.kind) {
                case DecodeFrame.TUPLE -> Containers.tuple(f.items, registry);
                case DecodeFrame.LIST -> Containers.list(f.items, f.tailNext, f.tail);
                case DecodeFrame.MAP -> Containers.map(f.items, f.values, registry);
                default -> finishFun(f);
            };
        } catch (Problem p) {
            throw error(f.at, p.getMessage());
        } finally {
            f.release();
        }
    }

    private Object tuple(int n, int at) {
        if (n > limit - pos) {
            throw error(at, "tuple claims " + n + " elements but only " + (limit - pos) + " bytes follow");
        }
        return n == 0 ? Tuple.EMPTY : open(DecodeFrame.TUPLE, n, at);
    }

    private Object list(int at) {
        int n = count(1, "list");
        if (n == 0) {
            // not what Erlang writes, but a list of no elements before its tail is just the tail
            open(DecodeFrame.LIST, 0, at);
            DecodeFrame f = stack[sp - 1];
            if (endOfList(f)) {
                sp--;
                f.release();
                return List.of();
            }
            return MORE;
        }
        return open(DecodeFrame.LIST, n, at);
    }

    private Object fun(int at) {
        int sizeAt = pos;
        long size = i32() & 0xFFFF_FFFFL;
        if (size < 4 + 1 + 16 + 4 + 4 || size > limit - sizeAt) {
            throw error(at, "fun claims " + size + " bytes, " + (limit - sizeAt) + " follow");
        }
        int arity = u8();
        need(16, "fun uniq");
        Binary uniq = Binary.copyOf(buf, pos, 16);
        pos += 16;
        int index = i32();
        int numFree = count(1, "fun free variables");
        Atom module = nodeAtom();
        int oldIndex = smallOrInt(at, "old index");
        int oldUniq = smallOrInt(at, "old uniq");
        int pidAt = pos;
        int pidTag = u8();
        if (pidTag != Tag.NEW_PID && pidTag != Tag.PID) {
            throw error(pidAt, "fun creator must be a pid, got tag " + pidTag);
        }
        Pid pid = pid(pidTag == Tag.NEW_PID);
        DecodeFrame.FunHeader h = new DecodeFrame.FunHeader(sizeAt, size, module, arity, uniq, index, oldIndex, oldUniq, pid);
        if (numFree == 0) {
            return makeFun(h, List.of(), at);
        }
        open(DecodeFrame.FUN, numFree, at);
        stack[sp - 1].fun = h;
        return MORE;
    }

    private Object finishFun(DecodeFrame f) {
        return makeFun(f.fun, List.of(f.items), f.at);
    }

    private Fun makeFun(DecodeFrame.FunHeader h, List<Object> free, int at) {
        if (pos - h.sizeAt() != h.size()) {
            throw error(at, "fun claims " + h.size() + " bytes but its fields took " + (pos - h.sizeAt()));
        }
        return new Fun(h.module(), h.arity(), h.uniq(), h.index(), h.oldIndex(), h.oldUniq(), h.pid(), free);
    }

    private static Object bool(Atom a) {
        return a == TRUE ? Boolean.TRUE : a == FALSE ? Boolean.FALSE : a;
    }

    private Object string() {
        int n = u16();
        need(n, "a string");
        Long[] el = new Long[n];
        for (int i = 0; i < n; i++) {
            el[i] = SMALL[buf[pos + i] & 0xFF];
        }
        pos += n;
        return List.of(el);
    }

    private Object binary(int n) {
        int from = pos;
        pos += n;
        if (binariesAsStrings && Utf8.isValid(buf, from, pos)) {
            return new String(buf, from, n, StandardCharsets.UTF_8);
        }
        return Binary.copyOf(buf, from, n);
    }

    private Object bitBinary(int at) {
        int n = count(1, "bitstring");
        int bits = u8();
        need(n, "a bitstring");
        if (bits == 8 || n == 0 && bits == 0) {
            return binary(n);
        }
        try {
            BitBinary b = Scalars.bits(buf, pos, n, bits);
            pos += n;
            return b;
        } catch (Problem p) {
            throw error(at, p.getMessage());
        }
    }

    private Object newFloat(int at) {
        try {
            return Scalars.finite(Double.longBitsToDouble(i64()));
        } catch (Problem p) {
            throw error(at, p.getMessage());
        }
    }

    private Object oldFloat(int at) {
        need(31, "FLOAT_EXT");
        try {
            return Scalars.oldFloat(buf, pos);
        } catch (Problem p) {
            throw error(at, p.getMessage());
        } finally {
            pos += 31;
        }
    }

    private Object big(int n, int at) {
        int sign = u8();
        if (sign > 1) {
            throw error(at, "bignum sign byte is " + sign + " (0 or 1 allowed)");
        }
        need(n, "a bignum");
        Object v = Scalars.big(buf, pos, n, sign == 1);
        pos += n;
        return v;
    }

    // ---- atoms ----

    private Atom nodeAtom() {
        int at = pos;
        int tag = u8();
        return switch (tag) {
            case Tag.SMALL_ATOM_UTF8 -> atom(u8(), true, at);
            case Tag.ATOM_UTF8 -> atom(u16(), true, at);
            case Tag.ATOM -> atom(u16(), false, at);
            case Tag.SMALL_ATOM -> atom(u8(), false, at);
            case Tag.ATOM_CACHE_REF -> cached(at);
            default -> throw error(at, "expected an atom, got tag " + tag);
        };
    }

    private Atom cached(int at) {
        int index = u8();
        Atom[] refs = cacheRefs;
        if (refs == null || index >= refs.length || refs[index] == null) {
            throw error(at, "atom cache reference " + index + " but the distribution header listed "
                    + (refs == null ? "no atom cache" : refs.length + " atoms"));
        }
        return refs[index];
    }

    private Atom atom(int len, boolean utf8, int at) {
        need(len, "an atom");
        int from = pos;
        pos += len;
        try {
            return atoms.read(buf, from, len, utf8);
        } catch (Problem p) {
            throw error(at, p.getMessage());
        }
    }

    // ---- identifiers and funs ----

    private Pid pid(boolean wide) {
        Atom node = nodeAtom();
        need(wide ? 12 : 9, "a pid");
        int id = (int) INT.get(buf, pos);
        int serial = (int) INT.get(buf, pos + 4);
        int creation = wide ? (int) INT.get(buf, pos + 8) : buf[pos + 8] & 0xFF;
        pos += wide ? 12 : 9;
        return new Pid(node, id, serial, creation);
    }

    private PortId port(int tag) {
        Atom node = nodeAtom();
        long id = tag == Tag.V4_PORT ? i64() : i32() & 0xFFFF_FFFFL;
        int creation = tag == Tag.PORT ? u8() : i32();
        return new PortId(node, id, creation);
    }

    private Ref ref(boolean wideCreation, int at) {
        int n = u16();
        if (n < 1 || n > 5) {
            throw error(at, "reference with " + n + " ID words (1 to 5 allowed)");
        }
        Atom node = nodeAtom();
        int creation = wideCreation ? i32() : u8();
        need(4 * n, "reference words");
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            words[i] = (int) INT.get(buf, pos);
            pos += 4;
        }
        return Ref.of(node, creation, words);
    }

    private Export export(int at) {
        Atom module = nodeAtom();
        Atom function = nodeAtom();
        int tag = u8();
        if (tag != Tag.SMALL_INTEGER) {
            throw error(at, "export arity must be a small integer, got tag " + tag);
        }
        return new Export(module, function, u8());
    }

    private int smallOrInt(int at, String what) {
        int tag = u8();
        return switch (tag) {
            case Tag.SMALL_INTEGER -> u8();
            case Tag.INTEGER -> i32();
            default -> throw error(at, "fun " + what + " must be an integer, got tag " + tag);
        };
    }

    // ---- compression ----

    private Object compressed() {
        int at = pos - 2;
        long size = i32() & 0xFFFF_FFFFL;
        if (size > limits.maxUncompressedBytes()) {
            throw error(at, "compressed term claims " + size + " bytes uncompressed, more than "
                    + limits.maxUncompressedBytes() + " (DecodeLimits.maxUncompressedBytes)");
        }
        if (size == 0) {
            throw error(at, "compressed term claims 0 bytes uncompressed");
        }
        Zlib.Inflated inflated;
        try {
            inflated = Zlib.inflate(buf, pos, limit, (int) size);
        } catch (Problem p) {
            throw error(at, p.getMessage());
        }
        byte[] outerBuf = buf;
        int outerPos = pos + inflated.consumed(), outerLimit = limit, outerStart = start;
        buf = inflated.data();
        pos = 0;
        limit = buf.length;
        start = 0;
        this.inflated = true;
        try {
            Object t = term();
            if (pos != limit) {
                throw error(pos, (limit - pos) + " bytes after the term");
            }
            return t;
        } finally {
            buf = outerBuf;
            pos = outerPos;
            limit = outerLimit;
            start = outerStart;
            this.inflated = false;
        }
    }
}

package io.loomix.dist.net;

import io.loomix.Atom;

import java.util.HashMap;
import java.util.Map;

/**
 * Reading side of the distribution header (erl_ext_dist.md, "Distribution Header"): turns frames
 * into whole messages, joining fragmented ones (tags 69 and 70). One per connection, used only by
 * its reader thread. Memory held for unfinished messages is bounded by the message size limit.
 */
final class Fragments {
    static final int PASS_THROUGH = 112;
    static final int VERSION = 131;
    static final int DIST_HEADER = 68;
    static final int FRAG_HEADER = 69;
    static final int FRAG_CONT = 70;

    private final int maxMessage;
    private final AtomCache cache = new AtomCache();
    private final Map<Long, Assembly> open = new HashMap<>();
    private long held;

    private static final class Assembly {
        byte[] bytes;
        int length;
        long nextId;
        Atom[] refs;
    }

    Fragments(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    /**
     * The message the frame {@code b[at, at+length)} completes, or null when it is a fragment of
     * one still coming. The message may lie in {@code b}: it is valid until {@code b} is reused.
     */
    Inbound accept(byte[] b, int at, int length) throws ProtocolException {
        int tag = b[at] & 0xff;
        if (tag == PASS_THROUGH) {
            return new Inbound(b, at + 1, length - 1, true);
        }
        if (tag != VERSION || length < 3) {
            throw new ProtocolException("a frame that starts with " + tag + " is neither pass-through (112)"
                    + " nor a distribution header (131)");
        }
        return switch (b[at + 1] & 0xff) {
            case DIST_HEADER -> {
                int terms = cache.read(b, at + 2, at + length);
                yield new Inbound(b, terms, at + length - terms, false, cache.refs());
            }
            case FRAG_HEADER -> start(b, at, length);
            case FRAG_CONT -> carryOn(b, at, length);
            default -> throw new ProtocolException("unknown distribution header tag " + (b[at + 1] & 0xff));
        };
    }

    private Inbound start(byte[] f, int at, int length) throws ProtocolException {
        if (length < 19) {
            throw new ProtocolException("a truncated fragment header (" + length + " bytes)");
        }
        long seq = readLong(f, at + 2);
        long id = readLong(f, at + 10);
        // the cache is updated now, in wire order: a message between the fragments may use it
        int terms = cache.read(f, at + 18, at + length);
        if (id == 1) {
            return new Inbound(f, terms, at + length - terms, false, cache.refs());
        }
        if (id < 1 || open.containsKey(seq)) {
            throw new ProtocolException("fragment sequence " + seq + " starts with fragment id " + id
                    + (open.containsKey(seq) ? " while it is already open" : ""));
        }
        Assembly a = new Assembly();
        a.bytes = new byte[Math.max(at + length - terms, 64)];
        a.nextId = id - 1;
        a.refs = cache.refs();
        open.put(seq, a);
        append(a, f, terms, at + length - terms);
        return null;
    }

    private Inbound carryOn(byte[] f, int at, int length) throws ProtocolException {
        if (length < 18) {
            throw new ProtocolException("a truncated fragment continuation (" + length + " bytes)");
        }
        long seq = readLong(f, at + 2);
        long id = readLong(f, at + 10);
        Assembly a = open.get(seq);
        if (a == null || id != a.nextId) {
            throw new ProtocolException("fragment " + id + " of sequence " + seq + " arrived "
                    + (a == null ? "without its start" : "where fragment " + a.nextId + " was due"));
        }
        append(a, f, at + 18, length - 18);
        if (id > 1) {
            a.nextId = id - 1;
            return null;
        }
        open.remove(seq);
        held -= a.length;
        return new Inbound(a.bytes, 0, a.length, false, a.refs);
    }

    private void append(Assembly a, byte[] f, int from, int n) throws ProtocolException {
        if (held + n > maxMessage || (long) a.length + n > maxMessage) {
            throw new ProtocolException("a fragmented message grows beyond the limit of " + maxMessage + " bytes");
        }
        if (a.length + n > a.bytes.length) {
            long grown = Math.min(maxMessage, Math.max((long) a.bytes.length * 2, (long) a.length + n));
            a.bytes = java.util.Arrays.copyOf(a.bytes, (int) grown);
        }
        System.arraycopy(f, from, a.bytes, a.length, n);
        a.length += n;
        held += n;
    }

    static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}

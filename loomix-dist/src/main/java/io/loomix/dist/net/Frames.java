package io.loomix.dist.net;

import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.term.TermEncoder;
import io.loomix.dist.term.TermRegistry;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Writing side of the framing. With a peer that takes fragments (every OTP node), a message is one
 * frame with a distribution header without atom cache ({@code len, 131, 68, 0, control, message}),
 * or, when larger than {@link #FRAGMENT}, a start frame ({@code 131, 69}) and continuations
 * ({@code 131, 70}) as ERTS splits them. Without fragments: pass-through frames
 * ({@code len, 112, 131 control, 131 message}). Encoding runs on the sending thread, outside any
 * connection lock.
 */
final class Frames {
    /** ERTS's fragment size. */
    static final int FRAGMENT = 64 * 1024;
    private static final int HEADER = 1 + 1 + 8 + 8;

    /** An encoder whose buffer grew past this is not kept (one large message must not pin memory). */
    private static final int KEEP_BUFFER = 256 * 1024;

    private final TermRegistry registry;
    /**
     * Encoders for reuse: each keeps its buffer and its cache of encoded atoms. Senders take one,
     * encode, copy the frame out and give it back, so encoding needs no lock and (once warm)
     * allocates only the frame.
     */
    private final ConcurrentLinkedQueue<TermEncoder> pool = new ConcurrentLinkedQueue<>();

    Frames(TermRegistry registry) {
        this.registry = registry;
    }

    /** Encodes and hands the frames, in order, to {@code out}. Any thread. */
    void encode(long flags, long sequence, Control control, Object message, Consumer<byte[]> out) {
        TermEncoder enc = pool.poll();
        if (enc == null) {
            enc = new TermEncoder(registry, 256);
        }
        try {
            encode(enc.reset(), flags, sequence, control, message, out);
        } finally {
            if (enc.buffer().length <= KEEP_BUFFER) {
                pool.offer(enc);
            }
        }
    }

    private static void encode(TermEncoder enc, long flags, long sequence, Control control, Object message,
                               Consumer<byte[]> out) {
        if ((flags & DistFlags.FRAGMENTS) == 0) {
            enc.writeInt(0).writeByte(Fragments.PASS_THROUGH).writeVersioned(Control.toTuple(control));
            if (message != null) {
                enc.writeVersioned(message);
            }
            enc.putInt(0, enc.position() - 4);
            out.accept(enc.toByteArray());
            return;
        }
        // ERTS expects a distribution header on every message once fragments are agreed
        enc.writeInt(0).writeByte(Fragments.VERSION).writeByte(Fragments.DIST_HEADER).writeByte(0)
                .writeTerm(Control.toTuple(control));
        if (message != null) {
            enc.writeTerm(message);
        }
        int size = enc.position() - 4;
        if (size <= FRAGMENT + 3) {
            enc.putInt(0, size);
            out.accept(enc.toByteArray());
            return;
        }
        fragment(enc.buffer(), 7, enc.position() - 7, sequence, out);
    }

    /** Splits the terms in {@code body[from, from+total)} over fragment frames (ids count down to 1). */
    private static void fragment(byte[] body, int from, int total, long sequence, Consumer<byte[]> out) {
        long count = Math.ceilDiv(total, FRAGMENT);
        for (long id = count, at = from; id >= 1; id--) {
            int n = (int) Math.min(FRAGMENT, from + total - at);
            boolean first = id == count;
            int headerLen = HEADER + (first ? 1 : 0);
            byte[] f = new byte[4 + headerLen + n];
            putInt(f, 0, headerLen + n);
            f[4] = (byte) Fragments.VERSION;
            f[5] = (byte) (first ? Fragments.FRAG_HEADER : Fragments.FRAG_CONT);
            putLong(f, 6, sequence);
            putLong(f, 14, id);
            // f[22] on the first fragment: no atom cache refs
            System.arraycopy(body, (int) at, f, 4 + headerLen, n);
            at += n;
            out.accept(f);
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }
}

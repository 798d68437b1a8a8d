package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.dist.term.DecodeException;
import io.loomix.dist.term.DecodeLimits;
import io.loomix.dist.term.TermDecoder;
import io.loomix.dist.term.TermRegistry;

/**
 * The receiving half of the distribution header's atom cache (erl_ext_dist.md, "Distribution
 * Header", DFLAG_DIST_HDR_ATOM_CACHE): 2048 slots that the peer fills with new-entry refs and
 * points at with old ones, in the order its headers arrive. A header lists the atoms its
 * message's {@code ATOM_CACHE_REF} tags index. One per connection, reader thread only.
 *
 * <p>This node sends headers without refs (legal under the flag: a sender chooses which atoms to
 * cache), so only the peer's cache lives here.
 */
final class AtomCache {
    static final int SLOTS = 2048;

    private final Atom[] slots = new Atom[SLOTS];
    /** Makes atoms from header text under the per-connection limit of new atoms. */
    private final TermDecoder atoms = new TermDecoder(TermRegistry.DEFAULT, DecodeLimits.DEFAULT);
    private Atom[] refs;

    /**
     * Reads the atom cache part of a header at {@code b[at]} (its NumberOfAtomCacheRefs byte),
     * updates the slots, and returns the index after it; {@link #refs} then lists the header's
     * atoms (null when it has none).
     */
    int read(byte[] b, int at, int end) throws ProtocolException {
        int n = b[at++] & 0xff;
        if (n == 0) {
            refs = null;
            return at;
        }
        int flags = at;
        at += n / 2 + 1;
        check(at, end);
        boolean longAtoms = (nibble(b, flags, n) & 1) != 0;
        Atom[] out = new Atom[n];
        for (int i = 0; i < n; i++) {
            int flag = nibble(b, flags, i);
            check(at + 1, end);
            int slot = (flag & 7) << 8 | (b[at++] & 0xff);
            if ((flag & 8) != 0) {
                int len;
                if (longAtoms) {
                    check(at + 2, end);
                    len = (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
                    at += 2;
                } else {
                    check(at + 1, end);
                    len = b[at++] & 0xff;
                }
                check(at + len, end);
                try {
                    slots[slot] = atoms.atom(b, at, len);
                } catch (DecodeException e) {
                    throw new ProtocolException("atom cache entry " + slot + ": " + e.getMessage(), e);
                }
                at += len;
            } else if (slots[slot] == null) {
                throw new ProtocolException("the header refers to atom cache slot " + slot + ", which the peer never filled");
            }
            out[i] = slots[slot];
        }
        refs = out;
        return at;
    }

    /** The atoms of the last header read, by ref index; null when it had none. */
    Atom[] refs() {
        return refs;
    }

    /** Flags of ref {@code i}: ref 0 in the low half of the first byte, ref 1 in its high half, and so on. */
    private static int nibble(byte[] b, int flags, int i) {
        return (b[flags + i / 2] >> ((i & 1) * 4)) & 0xf;
    }

    private static void check(int need, int end) throws ProtocolException {
        if (need > end) {
            throw new ProtocolException("a truncated atom cache header");
        }
    }
}

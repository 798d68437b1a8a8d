package io.loomix.dist.term;

import io.loomix.Atom;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Atoms from their bytes, for one decoder: a small cache by bytes (a repeated atom costs a hash
 * and a compare, no String), and the count of atoms this decoder has added to the node's table.
 */
final class AtomReader {
    private static final int CACHE = 1024;

    private final int maxNewAtoms;
    private final byte[][] keys = new byte[CACHE][];
    private final Atom[] values = new Atom[CACHE];
    private int newAtoms;

    AtomReader(int maxNewAtoms) {
        this.maxNewAtoms = maxNewAtoms;
    }

    int newAtoms() {
        return newAtoms;
    }

    /** The atom whose text is {@code len} bytes of {@code buf} from {@code from}, UTF-8 or Latin-1. */
    Atom read(byte[] buf, int from, int len, boolean utf8) throws Problem {
        int h = 0;
        boolean ascii = true;
        for (int i = from; i < from + len; i++) {
            int b = buf[i];
            h = h * 31 + b;
            ascii &= b >= 0;
        }
        if (!ascii && !utf8) {
            // Latin-1 text differs from the same bytes read as UTF-8: not cached
            return lookup(new String(buf, from, len, StandardCharsets.ISO_8859_1));
        }
        int slot = (h ^ h >>> 16) & (CACHE - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, buf, from, from + len)) {
            return values[slot];
        }
        if (!ascii && !Utf8.isValid(buf, from, from + len)) {
            throw new Problem("atom text is not valid UTF-8");
        }
        Atom a = lookup(new String(buf, from, len, StandardCharsets.UTF_8));
        keys[slot] = Arrays.copyOfRange(buf, from, from + len);
        values[slot] = a;
        return a;
    }

    private Atom lookup(String name) throws Problem {
        if (name.length() > Atom.MAX_LENGTH && name.codePointCount(0, name.length()) > Atom.MAX_LENGTH) {
            throw new Problem("atom of " + name.codePointCount(0, name.length()) + " characters (Erlang allows "
                    + Atom.MAX_LENGTH + ")");
        }
        Optional<Atom> existing = Atom.existing(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (newAtoms >= maxNewAtoms) {
            throw new Problem("too many new atoms: this peer has already made " + newAtoms
                    + " (DecodeLimits.maxNewAtoms); atoms are never freed, refusing '" + shorten(name) + "'");
        }
        try {
            Atom a = Atom.of(name);
            newAtoms++;
            return a;
        } catch (IllegalStateException e) {
            throw new Problem(e.getMessage());
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}

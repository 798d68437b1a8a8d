package io.loomix.dist.term;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Expands the zlib data of a compressed term (tag 80) to exactly the size it claims, and no further. */
final class Zlib {
    private Zlib() {}

    /** The expanded bytes and how many input bytes the zlib stream took. */
    record Inflated(byte[] data, int consumed) {}

    /**
     * Expands {@code in[from..to)} into exactly {@code size} bytes. Memory grows with what the data
     * really expands to (doubling from a guess based on the input's size), never straight to the claim.
     */
    static Inflated inflate(byte[] in, int from, int to, int size) throws Problem {
        byte[] out = new byte[(int) Math.min(size, Math.max(1024L, (to - from) * 8L))];
        int produced = 0;
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in, from, to - from);
            while (!inflater.finished()) {
                if (produced == out.length) {
                    if (out.length == size) {
                        if (inflater.inflate(new byte[1]) > 0) {
                            throw new Problem("compressed data expands beyond the " + size + " bytes it claims");
                        }
                        if (!inflater.finished()) {
                            throw new Problem("compressed data ends before its zlib stream does");
                        }
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(size, out.length * 2L));
                }
                int k = inflater.inflate(out, produced, out.length - produced);
                produced += k;
                if (k == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new Problem("compressed data ends before its zlib stream does");
                }
            }
            if (produced != size) {
                throw new Problem("compressed term claims " + size + " bytes uncompressed, has " + produced);
            }
            return new Inflated(out, (int) inflater.getBytesRead());
        } catch (DataFormatException e) {
            throw new Problem("compressed data is not valid zlib: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }
}

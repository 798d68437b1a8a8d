package io.loomix.dist.term;

import io.loomix.Binary;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Values of the scalar tags whose bytes are known to be in the input: bignums, old floats, bitstrings. */
final class Scalars {
    private static final Pattern FLOAT_TEXT = Pattern.compile("[-+]?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?");

    private Scalars() {}

    /** {@code n} little-endian magnitude bytes from {@code from}: a Long when it fits, else a BigInteger. */
    static Object big(byte[] buf, int from, int n, boolean negative) {
        if (n <= 8) {
            long mag = 0;
            for (int i = n - 1; i >= 0; i--) {
                mag = mag << 8 | (buf[from + i] & 0xFF);
            }
            if (mag >= 0) {
                return negative ? -mag : mag;
            }
            if (negative && mag == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            BigInteger b = new BigInteger(Long.toUnsignedString(mag));
            return negative ? b.negate() : b;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = buf[from + n - 1 - i];
        }
        BigInteger b = new BigInteger(negative ? -1 : 1, be);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    /** FLOAT_EXT: 31 bytes of {@code "%.20e"} text, NUL-padded. */
    static double oldFloat(byte[] buf, int from) throws Problem {
        int end = from;
        while (end < from + 31 && buf[end] != 0) {
            end++;
        }
        String text = new String(buf, from, end - from, StandardCharsets.ISO_8859_1).trim();
        if (!FLOAT_TEXT.matcher(text).matches()) {
            throw new Problem("FLOAT_EXT text is not a number: '" + text + "'");
        }
        return finite(Double.parseDouble(text));
    }

    static double finite(double d) throws Problem {
        if (!Double.isFinite(d)) {
            throw new Problem("float " + d + ": Erlang floats are finite");
        }
        return d;
    }

    /** A bitstring of {@code n} bytes with {@code bits} used in the last, 1 to 7. */
    static BitBinary bits(byte[] buf, int from, int n, int bits) throws Problem {
        if (bits < 1 || bits > 7 || n == 0) {
            throw new Problem("bitstring with " + bits + " bits in the last of its " + n + " bytes (1 to 8 allowed)");
        }
        byte[] b = Arrays.copyOfRange(buf, from, from + n);
        b[n - 1] &= (byte) (0xFF << (8 - bits)); // the unused bits are not part of the value
        return new BitBinary(Binary.of(b), bits);
    }
}

package io.loomix.dist.term;

import io.loomix.Binary;

import java.util.Objects;

/**
 * A bitstring whose length is not a whole number of bytes, Erlang's {@code <<5:3>>}.
 *
 * @param bytes        the bytes; the unused low bits of the last one are zero
 * @param bitsInLastByte how many high bits of the last byte belong to the bitstring, 1 to 7
 */
public record BitBinary(Binary bytes, int bitsInLastByte) {

    public BitBinary {
        Objects.requireNonNull(bytes, "bytes");
        if (bitsInLastByte < 1 || bitsInLastByte > 7 || bytes.size() == 0) {
            throw new IllegalArgumentException("a bitstring that is not whole bytes has 1 to 7 bits in a last"
                    + " byte, got " + bitsInLastByte + " bits in " + bytes.size() + " bytes (use Binary for whole bytes)");
        }
        if ((bytes.byteAt(bytes.size() - 1) & (0xFF >>> bitsInLastByte)) != 0) {
            throw new IllegalArgumentException("the unused low " + (8 - bitsInLastByte) + " bits of the last byte must be 0");
        }
    }

    /** The length in bits. */
    public long bitSize() {
        return (bytes.size() - 1) * 8L + bitsInLastByte;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<<");
        for (int i = 0; i < bytes.size() - 1; i++) {
            sb.append(bytes.byteAt(i)).append(',');
        }
        return sb.append(bytes.byteAt(bytes.size() - 1) >>> (8 - bitsInLastByte)).append(':')
                .append(bitsInLastByte).append(">>").toString();
    }
}

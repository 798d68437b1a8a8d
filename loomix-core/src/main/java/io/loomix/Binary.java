package io.loomix;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable byte string, Erlang's binary. Made by copying: no one holds the bytes inside, so a
 * binary can be sent between processes and nodes as a value.
 *
 * <p>Binaries compare as Erlang compares them: byte by byte, unsigned, a prefix before the longer
 * binary. Elixir's strings are binaries holding UTF-8: {@link #utf8(String)} and
 * {@link #toUtf8String()} convert.
 *
 * {@snippet :
 * Binary b = Binary.of(1, 2, 255);
 * assert b.size() == 3 && b.byteAt(2) == 255;
 * assert Binary.utf8("héllo").toUtf8String().equals("héllo");
 * }
 */
public final class Binary implements Comparable<Binary> {
    /** The empty binary, {@code <<>>}. */
    public static final Binary EMPTY = new Binary(new byte[0]);

    private final byte[] bytes;
    private int hash;

    private Binary(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A binary holding a copy of {@code bytes}. */
    public static Binary of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Binary(bytes.clone());
    }

    /** A binary of the given byte values, each 0 to 255 (or -128 to -1, taken as its low 8 bits). */
    public static Binary of(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < -128 || values[i] > 255) {
                throw new IllegalArgumentException("a byte is 0..255, got " + values[i] + " at index " + i);
            }
            b[i] = (byte) values[i];
        }
        return new Binary(b);
    }

    /** A binary holding a copy of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static Binary copyOf(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? EMPTY : new Binary(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** The UTF-8 encoding of {@code text}: an Elixir string. */
    public static Binary utf8(String text) {
        return new Binary(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The number of bytes. */
    public int size() {
        return bytes.length;
    }

    /** The byte at {@code index}, 0 to 255. */
    public int byteAt(int index) {
        return bytes[index] & 0xFF;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Copies the bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    /** A read-only view of the bytes. */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** {@code true} when the bytes are valid UTF-8 (Elixir's {@code String.valid?/1}). */
    public boolean isValidUtf8() {
        return Utf8.isValid(bytes, 0, bytes.length);
    }

    /**
     * The bytes read as UTF-8.
     *
     * @throws IllegalStateException if they are not valid UTF-8 (check with {@link #isValidUtf8})
     */
    public String toUtf8String() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("binary of " + bytes.length + " bytes is not valid UTF-8: " + this, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Binary o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /** As Erlang prints it: {@code <<"text">>} for printable UTF-8, {@code <<1,2,3>>} otherwise. */
    @Override
    public String toString() {
        if (bytes.length > 0 && isValidUtf8()) {
            String s = new String(bytes, StandardCharsets.UTF_8);
            if (s.codePoints().allMatch(c -> c >= 0x20 && c != 0x7F || c == '\n' || c == '\t')) {
                boolean ascii = s.length() == bytes.length;
                return "<<\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + (ascii ? "\">>" : "\"/utf8>>");
            }
        }
        StringBuilder sb = new StringBuilder("<<");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(bytes[i] & 0xFF);
        }
        return sb.append(">>").toString();
    }
}

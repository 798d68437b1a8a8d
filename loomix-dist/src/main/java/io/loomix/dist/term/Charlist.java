package io.loomix.dist.term;

import java.util.List;
import java.util.Objects;

/**
 * Text sent as an Erlang string, a list of code points ({@code "abc"} in Erlang, {@code 'abc'} in
 * Elixir), rather than as a UTF-8 binary.
 *
 * <p>On the wire a charlist is only a list of integers, so decoding never produces a
 * {@code Charlist}: a list arrives as a {@code List<Long>}, and {@link #of(List)} reads it as text.
 * A record component of type {@code Charlist} converts such a list automatically.
 *
 * @param text the characters
 */
public record Charlist(String text) {

    public Charlist {
        Objects.requireNonNull(text, "text");
    }

    /**
     * The text of a list of code points, as decoded from an Erlang string.
     *
     * @throws IllegalArgumentException if an element is not an integer code point
     */
    public static Charlist of(List<?> codePoints) {
        StringBuilder sb = new StringBuilder(codePoints.size());
        for (int i = 0; i < codePoints.size(); i++) {
            Object o = codePoints.get(i);
            long c = o instanceof Long l ? l : o instanceof Integer n ? n : -1;
            if (c < 0 || c > Character.MAX_CODE_POINT || c >= 0xD800 && c <= 0xDFFF) {
                throw new IllegalArgumentException("not a charlist: element " + i + " is " + o
                        + ", expected a Unicode code point");
            }
            sb.appendCodePoint((int) c);
        }
        return new Charlist(sb.toString());
    }

    /** {@code true} when {@code list} holds only integer code points (an empty list is a charlist). */
    public static boolean isCharlist(List<?> list) {
        for (Object o : list) {
            long c = o instanceof Long l ? l : o instanceof Integer n ? n : -1;
            if (c < 0 || c > Character.MAX_CODE_POINT || c >= 0xD800 && c <= 0xDFFF) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

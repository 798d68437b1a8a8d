package io.loomix;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An Erlang tuple, {@code {a, b, c}}: a fixed-size, immutable sequence of terms.
 *
 * <p>Java code usually speaks in records; tuples are for terms whose shape is Erlang's, e.g. a
 * message from an Erlang node that no record is registered for. Elements are never {@code null}.
 *
 * {@snippet :
 * Tuple t = Tuple.of(Atom.of("ok"), 42L);
 * if (t.size() == 2 && t.get(0) == Atom.of("ok")) {
 *     long value = (Long) t.get(1);
 * }
 * }
 */
public final class Tuple {
    /** The empty tuple, {@code {}}. */
    public static final Tuple EMPTY = new Tuple(new Object[0]);

    private final Object[] elements;

    private Tuple(Object[] elements) {
        this.elements = elements;
    }

    /** A tuple of copies of the given references (the array is copied, not kept). */
    public static Tuple of(Object... elements) {
        if (elements.length == 0) {
            return EMPTY;
        }
        // one pass that copies and checks (cheaper than clone() and a second pass)
        Object[] copy = new Object[elements.length];
        for (int i = 0; i < copy.length; i++) {
            Object e = elements[i];
            if (e == null) {
                throw new NullPointerException("tuple element " + i + " is null; Erlang terms have no null"
                        + " (use an atom such as undefined or nil)");
            }
            copy[i] = e;
        }
        return new Tuple(copy);
    }

    /** A tuple of the list's elements. */
    public static Tuple fromList(List<?> elements) {
        return of(elements.toArray());
    }

    /** The number of elements (Erlang's {@code tuple_size/1}). */
    public int size() {
        return elements.length;
    }

    /** The element at {@code index}, counted from 0 (Erlang's {@code element/2} counts from 1). */
    public Object get(int index) {
        return elements[index];
    }

    /** The elements as an immutable list. */
    public List<Object> toList() {
        return List.of(elements);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tuple t && Arrays.equals(elements, t.elements);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(elements);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(Objects.toString(elements[i]));
        }
        return sb.append('}').toString();
    }
}

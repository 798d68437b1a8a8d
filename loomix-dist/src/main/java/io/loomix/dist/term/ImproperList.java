package io.loomix.dist.term;

import java.util.List;
import java.util.Objects;

/**
 * A list whose last tail is not {@code []}, Erlang's {@code [a, b | c]}.
 *
 * @param elements the elements before the tail, at least one
 * @param tail     the final tail: any term but an empty list
 */
public record ImproperList(List<Object> elements, Object tail) {

    public ImproperList {
        elements = List.copyOf(elements);
        Objects.requireNonNull(tail, "tail");
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("an improper list has at least one element before its tail");
        }
        if (tail instanceof List<?>) {
            throw new IllegalArgumentException("the tail of an improper list is not a list: append the"
                    + " elements to one list instead");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(elements.get(i));
        }
        return sb.append('|').append(tail).append(']').toString();
    }
}

package io.loomix;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Erlang atom: an interned name, compared by identity.
 *
 * <p>Registered names, exit reasons such as {@code normal} and node names are atoms, as in Erlang.
 * Atoms are never garbage collected (as on BEAM), so do not make atoms from unbounded input.
 *
 * {@snippet :
 * Atom ok = Atom.of("ok");
 * assert ok == Atom.of("ok");
 * }
 */
public final class Atom implements Comparable<Atom> {
    private static final ConcurrentHashMap<String, Atom> TABLE = new ConcurrentHashMap<>();

    /** Longest atom Erlang accepts, in characters. */
    public static final int MAX_LENGTH = 255;

    private final String name;

    private Atom(String name) {
        this.name = name;
    }

    /** The atom named {@code name}, made on first use. */
    public static Atom of(String name) {
        Objects.requireNonNull(name, "atom name must not be null");
        Atom atom = TABLE.get(name);
        if (atom != null) {
            return atom;
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "atom too long: " + name.length() + " characters, Erlang allows at most " + MAX_LENGTH);
        }
        return TABLE.computeIfAbsent(name, Atom::new);
    }

    /** The atom's text. */
    public String name() {
        return name;
    }

    @Override
    public int compareTo(Atom other) {
        return name.compareTo(other.name);
    }

    /** The atom as Erlang prints it: bare when it is a plain lower-case word, quoted otherwise. */
    @Override
    public String toString() {
        return needsQuotes(name) ? "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'" : name;
    }

    private static boolean needsQuotes(String s) {
        if (s.isEmpty() || !Character.isLowerCase(s.charAt(0))) {
            return true;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '@')) {
                return true;
            }
        }
        return false;
    }
}

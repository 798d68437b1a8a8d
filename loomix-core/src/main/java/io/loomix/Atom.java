package io.loomix;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Erlang atom: an interned name, compared by identity.
 *
 * <p>Registered names, exit reasons such as {@code normal} and node names are atoms, as in Erlang.
 * Atoms are never garbage collected (as on BEAM), so do not make atoms from unbounded input: the
 * table holds at most {@link #MAX_ATOMS} atoms (Erlang's default limit, 1,048,576; set
 * {@code -Dloomix.maxAtoms=N} to change it), and {@link #of} throws once it is full. Code that
 * turns outside input into atoms should use {@link #existing}, as Erlang code uses
 * {@code binary_to_existing_atom}.
 *
 * {@snippet :
 * Atom ok = Atom.of("ok");
 * assert ok == Atom.of("ok");
 * }
 */
public final class Atom implements Comparable<Atom> {
    private static final ConcurrentHashMap<String, Atom> TABLE = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** How many atoms the table holds at most. */
    public static final int MAX_ATOMS = Integer.getInteger("loomix.maxAtoms", 1 << 20);

    /** Longest atom Erlang accepts, in characters. */
    public static final int MAX_LENGTH = 255;

    private final String name;

    private Atom(String name) {
        this.name = name;
    }

    /**
     * The atom named {@code name}, made on first use.
     *
     * @throws IllegalArgumentException if the name is longer than {@link #MAX_LENGTH} characters
     * @throws IllegalStateException if the atom is new and the table already holds {@link #MAX_ATOMS}
     */
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
        return TABLE.computeIfAbsent(name, Atom::make);
    }

    private static Atom make(String name) {
        if (COUNT.incrementAndGet() > MAX_ATOMS) {
            COUNT.decrementAndGet();
            throw new IllegalStateException("system_limit: the atom table is full (" + MAX_ATOMS
                    + " atoms), cannot add '" + name + "'. Atoms are never freed: make atoms only from"
                    + " a known set of names (Atom.existing for outside input), or raise -Dloomix.maxAtoms");
        }
        return new Atom(name);
    }

    /** The atom named {@code name} if it exists already, without adding it (Erlang's {@code binary_to_existing_atom}). */
    public static Optional<Atom> existing(String name) {
        return Optional.ofNullable(TABLE.get(name));
    }

    /** How many atoms exist. */
    public static int count() {
        return COUNT.get();
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

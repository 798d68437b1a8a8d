package io.loomix;

import java.util.Arrays;
import java.util.Objects;

/**
 * A reference: a value unique on its node, used to tag requests, monitors and timers.
 * Prints as Erlang prints it, {@code #Ref<0.3797304633.3283615745.229143>}.
 *
 * <p>On the wire an Erlang reference carries 3 to 5 unsigned 32-bit words; a reference made on
 * another node keeps its words exactly, so it goes back out as it came in. References made here
 * hold one counter, spread over three words the way BEAM spreads its own (18 + 32 + 14 bits of it).
 * Locality follows {@link LocalNode#isLocal}, as for {@link Pid}.
 */
public final class Ref {
    private static final int FIRST_WORD_BITS = 18;

    private final Atom node;
    private final int creation;
    /** The counter of a reference in the usual 3-word shape; 0 when {@link #words} holds them. */
    private final long id;
    /** The words of any other shape, exactly as received; {@code null} in the usual shape. */
    private final int[] words;

    /** A reference in the usual 3-word shape, numbered {@code id} (how the runtime makes its own). */
    public Ref(Atom node, int creation, long id) {
        this.node = Objects.requireNonNull(node, "node");
        this.creation = creation;
        this.id = id;
        this.words = null;
    }

    private Ref(Atom node, int creation, int[] words) {
        this.node = node;
        this.creation = creation;
        this.id = 0;
        this.words = words;
    }

    /**
     * A reference with the given ID words, least significant first, as
     * {@code NEWER_REFERENCE_EXT} carries them.
     *
     * @throws IllegalArgumentException unless there are 1 to 5 words
     */
    public static Ref of(Atom node, int creation, int... words) {
        Objects.requireNonNull(node, "node");
        if (words.length < 1 || words.length > 5) {
            throw new IllegalArgumentException("a reference has 1 to 5 ID words, got " + words.length);
        }
        if (words.length == 3 && Integer.compareUnsigned(words[0], 1 << FIRST_WORD_BITS) < 0
                && Integer.compareUnsigned(words[2], 1 << (64 - 32 - FIRST_WORD_BITS)) < 0) {
            long id = (words[0] & 0xFFFF_FFFFL) | (words[1] & 0xFFFF_FFFFL) << FIRST_WORD_BITS
                    | (words[2] & 0xFFFF_FFFFL) << (32 + FIRST_WORD_BITS);
            return new Ref(node, creation, id);
        }
        return new Ref(node, creation, words.clone());
    }

    /** The node that made this reference; for a local reference, this node's current name. */
    public Atom node() {
        return isLocal() ? LocalNode.name() : node;
    }

    /** The creation of the node that made it; for a local reference, this node's current creation. */
    public int creation() {
        return isLocal() ? LocalNode.creation() : creation;
    }

    /** {@code true} when this reference was made by this runtime. */
    public boolean isLocal() {
        return LocalNode.isLocal(node, creation);
    }

    /** How many ID words the reference has on the wire (3 for the usual shape). */
    public int wordCount() {
        return words == null ? 3 : words.length;
    }

    /** The ID word {@code i}, least significant first, as an unsigned 32-bit value in an int. */
    public int word(int i) {
        if (words != null) {
            return words[i];
        }
        return switch (i) {
            case 0 -> (int) (id & ((1 << FIRST_WORD_BITS) - 1));
            case 1 -> (int) (id >>> FIRST_WORD_BITS);
            case 2 -> (int) (id >>> (32 + FIRST_WORD_BITS));
            default -> throw new IndexOutOfBoundsException("word " + i + " of a 3-word reference");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ref r && id == r.id && Arrays.equals(words, r.words)
                && (node == r.node && creation == r.creation || isLocal() && r.isLocal());
    }

    @Override
    public int hashCode() {
        return words == null ? Long.hashCode(id) : Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("#Ref<").append(LocalNode.printIndex(node, creation));
        for (int i = wordCount() - 1; i >= 0; i--) {
            sb.append('.').append(Integer.toUnsignedString(word(i)));
        }
        return sb.append('>').toString();
    }
}

package io.loomix;

import java.util.Objects;

/**
 * A registered name on a given node, Erlang's {@code {Name, Node}}: a destination for
 * {@link Process#send(Name, Object)} and a target for {@link Process#monitor(Name)}.
 */
public record Name(Atom name, Atom node) {

    public Name {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
    }

    /** {@code {name, node}} from strings, e.g. {@code Name.of("spin", "spin2@crafter")}. */
    public static Name of(String name, String node) {
        return new Name(Atom.of(name), Atom.of(node));
    }

    /** A name on this node. */
    public static Name local(String name) {
        return new Name(Atom.of(name), LocalNode.name());
    }

    @Override
    public String toString() {
        return "{" + name + "," + node + "}";
    }
}

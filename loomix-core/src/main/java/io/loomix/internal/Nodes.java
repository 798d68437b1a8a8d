package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.LocalNode;

/** The runtime's view of {@link LocalNode}: this node's identity and its rule for locality. */
public final class Nodes {
    public static final Atom NO_NODE = LocalNode.NO_NODE;

    private Nodes() {}

    public static Atom localNode() {
        return LocalNode.name();
    }

    public static int localCreation() {
        return LocalNode.creation();
    }

    public static boolean isLocal(Atom node, int nodeCreation) {
        return LocalNode.isLocal(node, nodeCreation);
    }

    /** A registered name {@code {Name, Node}} with this node is served here. */
    public static boolean isLocalNode(Atom node) {
        return LocalNode.isLocalNode(node);
    }
}

package io.loomix.internal;

import io.loomix.Atom;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity of this node and the small numbers by which pids of other nodes are printed.
 * Distribution sets the name when the node goes alive; until then it is {@code nonode@nohost}.
 */
public final class Nodes {
    public static final Atom NO_NODE = Atom.of("nonode@nohost");

    private static volatile Atom local = NO_NODE;
    private static volatile int creation = 0;
    private static final ConcurrentHashMap<Atom, Integer> INDEX = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger(1);

    private Nodes() {}

    public static Atom localNode() {
        return local;
    }

    public static int localCreation() {
        return creation;
    }

    public static void setLocal(Atom node, int newCreation) {
        local = node;
        creation = newCreation;
    }

    public static boolean isLocal(Atom node, int nodeCreation) {
        return node == local && nodeCreation == creation || node == NO_NODE;
    }

    /** Erlang prints a remote pid with a per-node number that stays the same while the node lives. */
    public static int index(Atom node) {
        return INDEX.computeIfAbsent(node, n -> NEXT_INDEX.getAndIncrement());
    }
}

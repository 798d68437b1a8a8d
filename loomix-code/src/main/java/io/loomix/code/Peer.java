package io.loomix.code;

import java.util.Objects;

/**
 * A connected node as {@code nl} sees it: what distribution implements. The remote side of
 * {@link #load} is the other node's {@link CodeServer#loadBinary}: distribution sends
 * {@link ModuleBinary#encode()} to that node's code server, which answers with the
 * {@link Loaded} (or the error) that {@code loadBinary(ModuleBinary.decode(bytes))} gave.
 */
public interface Peer {
    /** The node's name, e.g. {@code b@host}. */
    String node();

    /** False for a BEAM node (erl, iex): {@code nl} skips it. */
    boolean runsLoomix();

    /**
     * Loads {@code module} on that node and returns what its code server answered.
     *
     * @throws RuntimeException with a message saying why, if the node could not load it or did not answer
     */
    Loaded load(ModuleBinary module);

    /**
     * Another code server in this JVM standing for a node: the bytes go through the wire form, as
     * they would between two nodes. For tests, and for nodes that share a JVM.
     */
    static Peer inThisJvm(String node, CodeServer server) {
        Objects.requireNonNull(server, "server");
        return new Peer() {
            @Override
            public String node() {
                return node;
            }

            @Override
            public boolean runsLoomix() {
                return true;
            }

            @Override
            public Loaded load(ModuleBinary module) {
                return server.loadBinary(ModuleBinary.decode(module.encode()));
            }
        };
    }
}

package io.loomix.dist.epmd;

import java.util.Objects;

/**
 * What epmd knows of one node: its listen port and type, the protocol versions it speaks and the
 * optional extra bytes it registered with.
 *
 * @param name   the node's alive name, the part before the {@code @}
 * @param port   the TCP port its distribution listens on
 * @param hidden whether it registered as a hidden node (type 72) rather than a normal one (77)
 */
public record EpmdNode(String name, int port, boolean hidden, int highestVersion, int lowestVersion, byte[] extra) {
    public EpmdNode {
        Objects.requireNonNull(name, "name");
        extra = extra == null ? new byte[0] : extra.clone();
    }

    public EpmdNode(String name, int port, boolean hidden) {
        this(name, port, hidden, Epmd.VERSION, Epmd.VERSION, new byte[0]);
    }

    @Override
    public byte[] extra() {
        return extra.clone();
    }

    int nodeType() {
        return hidden ? Epmd.TYPE_HIDDEN : Epmd.TYPE_NORMAL;
    }
}

package io.loomix;

import java.util.Objects;

/**
 * A port identifier, Erlang's {@code #Port<0.5>}: names a port (an external program or driver)
 * the way a {@link Pid} names a process. Ports of other nodes arrive as values that can be stored,
 * compared and sent back; port operations do not cross nodes (as in Erlang).
 *
 * @param node     the node that owns the port
 * @param id       the port's number (an unsigned 64-bit value on the wire)
 * @param creation the incarnation of that node
 */
public record PortId(Atom node, long id, int creation) {

    public PortId {
        Objects.requireNonNull(node, "node");
    }

    /** {@code true} when the port belongs to this runtime. */
    public boolean isLocal() {
        return LocalNode.isLocal(node, creation);
    }

    @Override
    public Atom node() {
        return isLocal() ? LocalNode.name() : node;
    }

    @Override
    public int creation() {
        return isLocal() ? LocalNode.creation() : creation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortId p && id == p.id
                && (node == p.node && creation == p.creation || isLocal() && p.isLocal());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "#Port<" + LocalNode.printIndex(node, creation) + "." + Long.toUnsignedString(id) + ">";
    }
}

package io.loomix;

import java.util.Objects;

/**
 * A process identifier: a value that names one process for as long as the node lives.
 *
 * <p>Pids are compared by value and print as Erlang prints them, {@code <0.123.0>} for a local
 * process. A pid of a process that has exited stays a valid value: sending to it does nothing.
 *
 * <p>Whether a pid is local follows {@link LocalNode#isLocal}: a pid made before the node went
 * alive and the same pid sent out under the node's name and received back are equal, and
 * {@link #node()} and {@link #creation()} of a local pid give this node's current identity, as
 * {@code node(Pid)} does on BEAM.
 *
 * @param node     the node the process runs on
 * @param id       the process's number on that node (an unsigned 32-bit value on the wire)
 * @param serial   distinguishes processes that reuse the same number (unsigned 32-bit on the wire)
 * @param creation the incarnation of the node, so pids of a restarted node do not collide
 */
public record Pid(Atom node, int id, int serial, int creation) implements Comparable<Pid> {

    public Pid {
        Objects.requireNonNull(node, "node");
    }

    /** {@code true} when this pid names a process of this runtime. */
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
        return o instanceof Pid p && id == p.id && serial == p.serial
                && (node == p.node && creation == p.creation || isLocal() && p.isLocal());
    }

    @Override
    public int hashCode() {
        return id * 31 + serial;
    }

    @Override
    public int compareTo(Pid o) {
        int c = node().compareTo(o.node());
        if (c != 0) return c;
        c = Integer.compare(serial, o.serial);
        if (c != 0) return c;
        c = Integer.compare(id, o.id);
        return c != 0 ? c : Integer.compare(creation(), o.creation());
    }

    @Override
    public String toString() {
        return "<" + LocalNode.printIndex(node, creation) + "." + Integer.toUnsignedString(id) + "."
                + Integer.toUnsignedString(serial) + ">";
    }
}

package io.loomix;

import io.loomix.internal.Nodes;
import java.util.Objects;

/**
 * A process identifier: a value that names one process for as long as the node lives.
 *
 * <p>Pids are compared by value and print as Erlang prints them, {@code <0.123.0>} for a local
 * process. A pid of a process that has exited stays a valid value: sending to it does nothing.
 *
 * @param node     the node the process runs on
 * @param id       the process's number on that node
 * @param serial   distinguishes processes that reuse the same number
 * @param creation the incarnation of the node, so pids of a restarted node do not collide
 */
public record Pid(Atom node, int id, int serial, int creation) implements Comparable<Pid> {

    public Pid {
        Objects.requireNonNull(node, "node");
    }

    @Override
    public int compareTo(Pid o) {
        int c = node.compareTo(o.node);
        if (c != 0) return c;
        c = Integer.compare(serial, o.serial);
        if (c != 0) return c;
        c = Integer.compare(id, o.id);
        return c != 0 ? c : Integer.compare(creation, o.creation);
    }

    @Override
    public String toString() {
        return "<" + (Nodes.isLocal(node, creation) ? 0 : Nodes.index(node)) + "." + id + "." + serial + ">";
    }
}

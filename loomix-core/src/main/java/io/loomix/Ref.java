package io.loomix;

import io.loomix.internal.Nodes;
import java.util.Objects;

/**
 * A reference: a value unique on its node, used to tag requests, monitors and timers.
 * Prints as Erlang prints it, {@code #Ref<0.0.0.123>}.
 */
public record Ref(Atom node, int creation, long id) {

    public Ref {
        Objects.requireNonNull(node, "node");
    }

    @Override
    public String toString() {
        int nodeIndex = Nodes.isLocal(node, creation) ? 0 : Nodes.index(node);
        return "#Ref<" + nodeIndex + "." + (int) (id >>> 32) + "." + (int) id + "." + 0 + ">";
    }
}

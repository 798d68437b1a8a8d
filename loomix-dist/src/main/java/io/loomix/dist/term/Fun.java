package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;

import java.util.List;
import java.util.Objects;

/**
 * A fun made on an Erlang node ({@code NEW_FUN_EXT}): an opaque value that keeps every field it
 * came with, so it goes back out exactly as it came in. Loomix does not call it.
 *
 * @param module   the module that defines the fun
 * @param arity    its arity
 * @param uniq     the 16-byte MD5 of the module's code
 * @param index    its index in the module's fun table
 * @param oldIndex the old-style index
 * @param oldUniq  the old-style hash
 * @param pid      the process that made it
 * @param freeVars the values the fun closed over
 */
public record Fun(Atom module, int arity, Binary uniq, int index, int oldIndex, int oldUniq, Pid pid,
                  List<Object> freeVars) {

    public Fun {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(uniq, "uniq");
        Objects.requireNonNull(pid, "pid");
        freeVars = List.copyOf(freeVars);
        if (uniq.size() != 16) {
            throw new IllegalArgumentException("uniq is a 16-byte MD5, got " + uniq.size() + " bytes");
        }
        if (arity < 0 || arity > 255) {
            throw new IllegalArgumentException("arity is 0..255, got " + arity);
        }
    }

    @Override
    public String toString() {
        return "#Fun<" + module + "." + Integer.toUnsignedString(index) + "." + oldUniq + ">";
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;

import java.util.Objects;

/**
 * An external fun, Erlang's {@code fun Module:Function/Arity}: an opaque value that can be stored
 * and sent back (Loomix does not call it).
 */
public record Export(Atom module, Atom function, int arity) {

    public Export {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(function, "function");
        if (arity < 0 || arity > 255) {
            throw new IllegalArgumentException("arity is 0..255, got " + arity);
        }
    }

    @Override
    public String toString() {
        return "fun " + module + ":" + function + "/" + arity;
    }
}

package io.loomix.dist.term;

/**
 * A Java value that has no Erlang term: {@code null}, an unregistered record, a mutable array
 * other than {@code byte[]}, a NaN. The message names the value's class and where in the term it sat.
 */
public final class EncodeException extends IllegalArgumentException {
    public EncodeException(String message) {
        super(message);
    }
}

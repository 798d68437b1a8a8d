package io.loomix.dist.term;

/** What a helper of the decoder found wrong; the decoder reports it with the offset it knows. */
final class Problem extends Exception {
    Problem(String message) {
        super(message, null, false, false);
    }
}

package io.loomix.dist.term;

/**
 * Bytes that are not a term Loomix accepts: truncated, an unknown tag, a length larger than the
 * input, a limit of {@link DecodeLimits} crossed. Says where ({@link #offset()}) and what was wrong.
 *
 * <p>A connection that meets one closes with this as the logged reason; nothing else is affected.
 */
public final class DecodeException extends RuntimeException {
    private final int offset;

    public DecodeException(int offset, String problem) {
        super("bad external term at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    public DecodeException(int offset, String problem, Throwable cause) {
        super("bad external term at byte " + offset + ": " + problem, cause);
        this.offset = offset;
    }

    /** The offset of the offending byte in the input the decoder was given. */
    public int offset() {
        return offset;
    }
}

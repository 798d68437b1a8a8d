package io.loomix.dist.handshake;

import java.io.IOException;

/** A handshake that did not end in a connection; the message names the peer and the reason. */
public final class HandshakeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String peer;
    private final boolean superseded;

    public HandshakeException(String peer, String reason) {
        this(peer, reason, null, false);
    }

    public HandshakeException(String peer, String reason, Throwable cause) {
        this(peer, reason, cause, false);
    }

    private HandshakeException(String peer, String reason, Throwable cause, boolean superseded) {
        super(reason, cause);
        this.peer = peer;
        this.superseded = superseded;
    }

    /** Our attempt gave way to a connection the peer made ({@code nok}, or {@code alive} answered false). */
    static HandshakeException superseded(String peer, String reason) {
        return new HandshakeException(peer, reason, null, true);
    }

    /**
     * True when this attempt ended because the peer's own connection to us wins: not a failure
     * of the link, so what waits for the peer should wait for that connection.
     */
    public boolean superseded() {
        return superseded;
    }

    /** The peer's node name as far as it was known, or its address. */
    public String peer() {
        return peer;
    }
}

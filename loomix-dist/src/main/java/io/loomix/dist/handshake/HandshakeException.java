package io.loomix.dist.handshake;

import java.io.IOException;

/** A handshake that did not end in a connection; the message names the peer and the reason. */
public final class HandshakeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String peer;

    public HandshakeException(String peer, String reason) {
        super(reason);
        this.peer = peer;
    }

    public HandshakeException(String peer, String reason, Throwable cause) {
        super(reason, cause);
        this.peer = peer;
    }

    /** The peer's node name as far as it was known, or its address. */
    public String peer() {
        return peer;
    }
}

package io.loomix.dist.net;

import java.io.IOException;

/** The peer sent something the protocol does not allow; its connection is closed with this reason. */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String reason) {
        super(reason);
    }

    public ProtocolException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

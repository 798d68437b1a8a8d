package io.loomix.dist.epmd;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Erlang Port Mapper Daemon protocol (erts/doc/guides/erl_dist_protocol.md): every request
 * is a 2-byte big-endian length and a body whose first byte says what it is. Shared by
 * {@link EpmdClient} and {@link EpmdServer}.
 */
public final class Epmd {
    /** The port epmd listens on unless ERL_EPMD_PORT says otherwise. */
    public static final int DEFAULT_PORT = 4369;

    static final int ALIVE2_REQ = 120;
    static final int ALIVE2_X_RESP = 118;
    static final int ALIVE2_RESP = 121;
    static final int PORT_PLEASE2_REQ = 122;
    static final int PORT2_RESP = 119;
    static final int NAMES_REQ = 110;
    static final int TYPE_NORMAL = 77;
    static final int TYPE_HIDDEN = 72;
    /** Distribution protocol version 6, the only one OTP 23+ speaks. */
    static final int VERSION = 6;
    /** Longest alive name epmd accepts, in bytes (MAXSYMLEN). */
    static final int MAX_NAME = 255;

    private Epmd() {}

    /**
     * The epmd port to use: {@code ERL_EPMD_PORT} when set, as erl and epmd read it, else 4369.
     */
    public static int portFromEnvironment() {
        String env = System.getenv("ERL_EPMD_PORT");
        if (env == null || env.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(env.strip());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("ERL_EPMD_PORT must be a TCP port (1-65535), was '" + env + "'");
    }

    static void writeRequest(OutputStream out, byte[] body) throws IOException {
        byte[] framed = new byte[2 + body.length];
        framed[0] = (byte) (body.length >>> 8);
        framed[1] = (byte) body.length;
        System.arraycopy(body, 0, framed, 2, body.length);
        out.write(framed);
        out.flush();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String readName(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] readBytes(DataInputStream in, int len) throws IOException {
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    static int readByteOrEof(DataInputStream in, String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("epmd closed the connection before " + what);
        }
        return b;
    }
}

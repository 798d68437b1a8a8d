package io.loomix;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Output of a port's program, sent to the port's owner: Erlang's {@code {Port, {data, Data}}}.
 * The bytes are copied in and out, so the message stays an immutable value.
 *
 * @param port    the port
 * @param bytes   what the program wrote, cut by the port's {@link PortOptions.Framing} (for lines:
 *                without the newline)
 * @param partial in {@link PortOptions.Line line} mode, that this is a piece of a line longer than
 *                the limit, or a last line without a newline (Erlang's {@code noeol}); otherwise false
 */
public record PortData(Port port, byte[] bytes, boolean partial) {

    public PortData {
        Objects.requireNonNull(port, "port");
        bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes decoded as UTF-8. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** How many bytes, without copying them. */
    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortData d && d.port.equals(port) && d.partial == partial && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return port.hashCode() * 31 + Arrays.hashCode(bytes) + (partial ? 1 : 0);
    }

    /** As Erlang prints it: {@code {#Port<0.5>,{data,{eol,<<"hello">>}}}}, the bytes as text when printable. */
    @Override
    public String toString() {
        String data = printable() ? "<<\"" + text().replace("\\", "\\\\").replace("\"", "\\\"") + "\">>"
                : "<<16#" + HexFormat.of().formatHex(bytes) + ">>";
        return "{" + port + ",{data," + (partial ? "{noeol," + data + "}" : data) + "}}";
    }

    private boolean printable() {
        for (byte b : bytes) {
            if (b < 0x20 || b == 0x7f) {
                return false;
            }
        }
        return true;
    }
}

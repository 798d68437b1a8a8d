package io.loomix.dist.epmd;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of an epmd (the real one or {@link EpmdServer}), as OTP's erl_epmd: registers this
 * node, looks up the port of another, lists the names. Every call is bounded by {@link #TIMEOUT_MS}.
 */
public final class EpmdClient {
    /** How long a connect or a reply may take before the call fails. */
    static final int TIMEOUT_MS = 5_000;
    private static final Pattern NAME_LINE = Pattern.compile("name (.+) at port (\\d+)");

    private final InetAddress host;
    private final int port;

    /** A client of the epmd at {@code host:port}. */
    public EpmdClient(InetAddress host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A client of the epmd on this machine at {@code port}. */
    public static EpmdClient local(int port) {
        return new EpmdClient(InetAddress.getLoopbackAddress(), port);
    }

    public int port() {
        return port;
    }

    /**
     * This node registered with epmd; it stays registered until {@link #close}, which closes the
     * connection, as epmd forgets a node when its connection closes.
     */
    public static final class Registration implements AutoCloseable {
        private final Socket socket;
        private final int creation;

        private Registration(Socket socket, int creation) {
            this.socket = socket;
            this.creation = creation;
        }

        /** The node's incarnation as epmd handed it out: never 0. */
        public int creation() {
            return creation;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do: the registration ends either way
            }
        }
    }

    /**
     * ALIVE2: registers {@code node}; fails when epmd refuses (the name is taken) or does not answer.
     */
    public Registration register(EpmdNode node) throws IOException {
        byte[] name = Epmd.utf8(node.name());
        byte[] extra = node.extra();
        var body = new ByteArrayOutputStream();
        var out = new DataOutputStream(body);
        out.writeByte(Epmd.ALIVE2_REQ);
        out.writeShort(node.port());
        out.writeByte(node.nodeType());
        out.writeByte(0); // protocol: tcp/ip-v4
        out.writeShort(node.highestVersion());
        out.writeShort(node.lowestVersion());
        out.writeShort(name.length);
        out.write(name);
        out.writeShort(extra.length);
        out.write(extra);
        Socket socket = connect();
        try {
            Epmd.writeRequest(socket.getOutputStream(), body.toByteArray());
            var in = new DataInputStream(socket.getInputStream());
            int tag = Epmd.readByteOrEof(in, "answering ALIVE2");
            int result = Epmd.readByteOrEof(in, "answering ALIVE2");
            int creation = switch (tag) {
                case Epmd.ALIVE2_X_RESP -> in.readInt();
                case Epmd.ALIVE2_RESP -> in.readUnsignedShort();
                default -> throw new IOException("epmd at " + where() + " answered ALIVE2 with an unknown tag " + tag);
            };
            if (result != 0) {
                throw new IOException("epmd at " + where() + " refused to register '" + node.name()
                        + "' (result " + result + "): a node of that name is probably running already; pick another name");
            }
            socket.setSoTimeout(0); // the connection now lives as long as the registration
            return new Registration(socket, creation);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** PORT_PLEASE2: where node {@code name} listens, or empty when epmd does not know it. */
    public Optional<EpmdNode> lookup(String name) throws IOException {
        byte[] n = Epmd.utf8(name);
        byte[] body = new byte[1 + n.length];
        body[0] = (byte) Epmd.PORT_PLEASE2_REQ;
        System.arraycopy(n, 0, body, 1, n.length);
        try (Socket socket = connect()) {
            Epmd.writeRequest(socket.getOutputStream(), body);
            var in = new DataInputStream(socket.getInputStream());
            int tag = Epmd.readByteOrEof(in, "answering PORT_PLEASE2");
            if (tag != Epmd.PORT2_RESP) {
                throw new IOException("epmd at " + where() + " answered PORT_PLEASE2 with an unknown tag " + tag);
            }
            if (Epmd.readByteOrEof(in, "answering PORT_PLEASE2") != 0) {
                return Optional.empty();
            }
            int port = in.readUnsignedShort();
            int type = in.readUnsignedByte();
            in.readUnsignedByte(); // protocol
            int high = in.readUnsignedShort();
            int low = in.readUnsignedShort();
            String found = Epmd.readName(in);
            byte[] extra = Epmd.readBytes(in, in.readUnsignedShort());
            return Optional.of(new EpmdNode(found, port, type == Epmd.TYPE_HIDDEN, high, low, extra));
        }
    }

    /** What NAMES_REQ returned: the port epmd says it runs on and one line per node. */
    public record Names(int epmdPort, String text) {
        /** The registered nodes, parsed from the text as {@code net_adm:names/0} does. */
        public List<EpmdNode> nodes() {
            List<EpmdNode> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                Matcher m = NAME_LINE.matcher(line);
                if (m.matches()) {
                    out.add(new EpmdNode(m.group(1), Integer.parseInt(m.group(2)), false));
                }
            }
            return out;
        }

        /** Exactly what {@code epmd -names} prints. */
        public String describe() {
            return "epmd: up and running on port " + epmdPort + " with data:\n" + text;
        }
    }

    /** NAMES_REQ. */
    public Names names() throws IOException {
        try (Socket socket = connect()) {
            Epmd.writeRequest(socket.getOutputStream(), new byte[] {(byte) Epmd.NAMES_REQ});
            var in = new DataInputStream(socket.getInputStream());
            int epmdPort = in.readInt();
            // epmd writes the lines and closes; the list is small (a line per node)
            byte[] rest = in.readNBytes(1 << 20);
            return new Names(epmdPort, new String(rest, StandardCharsets.UTF_8));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot reach epmd at " + where() + " (" + e.getMessage()
                    + "): is epmd running? Start one with 'epmd -daemon', or start a Loomix node, which runs one", e);
        }
    }

    private String where() {
        return host.getHostAddress() + ":" + port;
    }
}

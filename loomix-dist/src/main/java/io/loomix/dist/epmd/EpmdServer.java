package io.loomix.dist.epmd;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An embedded epmd: the node starts one when none runs, so a Java-only cluster needs nothing
 * installed and a later {@code erl} finds it. Speaks what nodes and {@code epmd -names} use:
 * ALIVE2 (kept until its connection closes), PORT_PLEASE2 and NAMES. Like epmd, it dies with the
 * process that runs it, and the nodes registered in it then need to register again.
 */
public final class EpmdServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist.epmd");
    /** A request longer than this is not epmd's; the connection is closed. */
    private static final int MAX_REQUEST = 2 + 1 + 10 + Epmd.MAX_NAME + 2 + 1024;
    /** A client that sends nothing for this long is dropped (registrations excepted). */
    private static final int IDLE_MS = 10_000;

    private final ServerSocket server;
    private final Map<String, Entry> nodes = new LinkedHashMap<>();
    private int nextCreation = ThreadLocalRandom.current().nextInt(1, 1 << 30);
    private final Thread acceptor;

    private record Entry(EpmdNode node, Socket owner) {}

    private EpmdServer(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("loomix-epmd-" + server.getLocalPort()).start(this::accept);
    }

    /**
     * Listens on {@code port} of every interface, as epmd does.
     *
     * @throws IOException when the port is taken (an epmd probably runs there: use it instead)
     */
    public static EpmdServer start(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress((InetAddress) null, port));
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on port " + port + " for an embedded epmd: " + e.getMessage(), e);
        }
        return new EpmdServer(s);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops listening and drops every registration (their nodes see their connection close). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        synchronized (nodes) {
            for (Entry e : nodes.values()) {
                closeQuietly(e.owner);
            }
            nodes.clear();
        }
        acceptor.interrupt();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().name("loomix-epmd-client").start(() -> serve(s));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "embedded epmd: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket s) {
        boolean keep = false;
        try {
            s.setSoTimeout(IDLE_MS);
            var in = new DataInputStream(s.getInputStream());
            int len = in.readUnsignedShort();
            if (len == 0 || len > MAX_REQUEST) {
                throw new IOException("request of " + len + " bytes");
            }
            byte[] body = Epmd.readBytes(in, len);
            OutputStream out = s.getOutputStream();
            switch (body[0] & 0xff) {
                case Epmd.ALIVE2_REQ -> keep = alive(s, body, out);
                case Epmd.PORT_PLEASE2_REQ -> out.write(portPlease(new String(body, 1, len - 1, StandardCharsets.UTF_8)));
                case Epmd.NAMES_REQ -> out.write(names());
                default -> throw new IOException("unknown request " + (body[0] & 0xff));
            }
            out.flush();
            if (keep) {
                // The registration lasts while the node keeps this connection open.
                s.setSoTimeout(0);
                while (s.getInputStream().read() >= 0) {
                    // a registered node sends nothing more; ignore whatever it does send
                }
            }
        } catch (SocketTimeoutException e) {
            // an idle client: drop it
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "embedded epmd: dropped a client from "
                    + s.getRemoteSocketAddress() + ": " + e.getMessage());
        } finally {
            if (keep) {
                unregister(s);
            }
            closeQuietly(s);
        }
    }

    private boolean alive(Socket s, byte[] body, OutputStream out) throws IOException {
        var in = new DataInputStream(new java.io.ByteArrayInputStream(body, 1, body.length - 1));
        int port = in.readUnsignedShort();
        int type = in.readUnsignedByte();
        in.readUnsignedByte(); // protocol
        int high = in.readUnsignedShort();
        int low = in.readUnsignedShort();
        String name = Epmd.readName(in);
        byte[] extra = Epmd.readBytes(in, in.readUnsignedShort());
        int creation;
        boolean ok;
        synchronized (nodes) {
            ok = !name.isEmpty() && !nodes.containsKey(name);
            if (ok) {
                nodes.put(name, new Entry(new EpmdNode(name, port, type == Epmd.TYPE_HIDDEN, high, low, extra), s));
            }
            creation = nextCreation;
            nextCreation = nextCreation == Integer.MAX_VALUE ? 1 : nextCreation + 1;
        }
        var reply = new DataOutputStream(out);
        reply.writeByte(Epmd.ALIVE2_X_RESP);
        reply.writeByte(ok ? 0 : 1);
        reply.writeInt(creation);
        return ok;
    }

    private void unregister(Socket owner) {
        synchronized (nodes) {
            nodes.values().removeIf(e -> e.owner == owner);
        }
    }

    private byte[] portPlease(String name) throws IOException {
        EpmdNode node;
        synchronized (nodes) {
            Entry e = nodes.get(name);
            node = e == null ? null : e.node;
        }
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.writeByte(Epmd.PORT2_RESP);
        if (node == null) {
            out.writeByte(1);
            return bytes.toByteArray();
        }
        byte[] n = Epmd.utf8(node.name());
        byte[] extra = node.extra();
        out.writeByte(0);
        out.writeShort(node.port());
        out.writeByte(node.nodeType());
        out.writeByte(0);
        out.writeShort(node.highestVersion());
        out.writeShort(node.lowestVersion());
        out.writeShort(n.length);
        out.write(n);
        out.writeShort(extra.length);
        out.write(extra);
        return bytes.toByteArray();
    }

    private byte[] names() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.writeInt(port());
        synchronized (nodes) {
            for (Entry e : nodes.values()) {
                out.write(("name " + e.node.name() + " at port " + e.node.port() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

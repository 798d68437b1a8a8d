package io.loomix.dist.handshake;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The version-6 distribution handshake (erl_dist_protocol.md, dist_util.erl), both directions, on
 * a connected socket. Messages carry 2-byte lengths; each side proves it knows the cookie by the
 * MD5 of cookie and the other side's challenge. The whole handshake must finish within the
 * timeout (Erlang's net_setuptime), so a peer that stalls halfway is dropped.
 */
public final class Handshake {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Longest handshake message we read: a name of 255 atom characters and change. */
    private static final int MAX_MESSAGE = 2048;

    /** This node as the handshake presents it. */
    public record Identity(String name, long flags, int creation, String cookie) {
        public Identity {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(cookie, "cookie");
        }
    }

    /** The node at the other end, and the flags both sides agreed on (the AND of both). */
    public record Result(String peerName, long peerFlags, int peerCreation, long agreedFlags) {
        public boolean published() {
            return (agreedFlags & DistFlags.PUBLISHED) != 0;
        }
    }

    /** What the accepting side says to a node that asks to connect. */
    public enum Admission {
        /** Go ahead. */
        OK,
        /** Both nodes are connecting to each other; this one wins, the other attempt is given up. */
        OK_SIMULTANEOUS,
        /** Both are connecting to each other and the other attempt wins. */
        NOK,
        /** Refused: e.g. a name that does not look like name@host. */
        NOT_ALLOWED,
        /** A connection to this node exists already; the peer says whether to replace it. */
        ALIVE
    }

    /** Accepting side's policy: asked once the peer's name is known. */
    @FunctionalInterface
    public interface Gate {
        Admission admit(String peerName);

        /** The peer confirmed (after {@link Admission#ALIVE}) that the old connection is dead. */
        default void replaceOld(String peerName) {}
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Identity me;
    private final long deadline;
    private String peer;
    /** Where we are, for the reason given when the peer goes silent or closes. */
    private String stage = "before the peer said its name";

    private Handshake(Socket socket, Identity me, Duration timeout, String peer) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.me = me;
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.peer = peer;
    }

    /**
     * Side A: we connected to {@code expectedPeer}. Returns when both sides are satisfied; the
     * socket is then a distribution connection (4-byte frames).
     */
    public static Result initiate(Socket socket, Identity me, String expectedPeer, Duration timeout)
            throws HandshakeException {
        return initiate(socket, me, expectedPeer, timeout, () -> true);
    }

    /**
     * As above; {@code stillPending} is dist_util's is_pending: asked when the peer answers
     * {@code alive} (it still has a connection to us), true when this attempt is still this node's
     * only way to the peer, so the peer drops its old connection. False when this node has taken
     * a connection from the peer meanwhile (the two dialed each other and the peer's got through
     * first): the attempt then ends {@link HandshakeException#superseded()} and the peer keeps that one.
     */
    public static Result initiate(Socket socket, Identity me, String expectedPeer, Duration timeout,
                                  java.util.function.BooleanSupplier stillPending) throws HandshakeException {
        Handshake h = null;
        try {
            h = new Handshake(socket, me, timeout, expectedPeer);
            return h.asInitiator(stillPending);
        } catch (HandshakeException e) {
            throw e;
        } catch (IOException e) {
            throw failure(h, expectedPeer, e);
        }
    }

    /** Side B: a node connected to us. */
    public static Result accept(Socket socket, Identity me, Gate gate, Duration timeout) throws HandshakeException {
        String from = String.valueOf(socket.getRemoteSocketAddress());
        Handshake h = null;
        try {
            h = new Handshake(socket, me, timeout, from);
            return h.asAcceptor(gate);
        } catch (HandshakeException e) {
            throw e;
        } catch (IOException e) {
            throw failure(h, from, e);
        }
    }

    private static HandshakeException failure(Handshake h, String peer, IOException e) {
        String where = h == null ? "" : " " + h.stage;
        String why = e instanceof SocketTimeoutException ? "the peer stopped answering" + where + " (handshake timed out)"
                : e instanceof EOFException ? "the peer closed the connection" + where : e + where;
        return new HandshakeException(h == null ? peer : h.peer, why, e);
    }

    private Result asInitiator(java.util.function.BooleanSupplier stillPending) throws IOException {
        send(nameMessage());
        stage = "before answering our name";
        byte[] status = receive();
        String s = status(status);
        switch (s) {
            case "ok", "ok_simultaneous" -> { }
            case "alive" -> {
                boolean pending = stillPending.getAsBoolean();
                sendStatus(Boolean.toString(pending));
                if (!pending) {
                    throw HandshakeException.superseded(peer, "the peer has a connection to us (alive), and it is"
                            + " the one its own attempt made meanwhile: that one is kept");
                }
            }
            case "nok" -> throw HandshakeException.superseded(peer,
                    "the peer is connecting to us at the same time and its attempt wins (nok)");
            case "not_allowed" -> throw fail("the peer does not allow us to connect (not_allowed): check that our"
                    + " name and flags are acceptable to it");
            default -> throw fail("the peer answered with an unexpected status '" + s + "'");
        }
        stage = "before sending its challenge";
        var c = new DataInputStream(new java.io.ByteArrayInputStream(receive()));
        int tag = c.readUnsignedByte();
        if (tag != 'N') {
            throw fail("expected the peer's challenge ('N'), got tag " + tag
                    + (tag == 'n' ? ": it speaks only the old version-5 handshake (OTP 22 or older)" : ""));
        }
        long flags = c.readLong();
        int challenge = c.readInt();
        int creation = c.readInt();
        String name = readName(c);
        checkFlags(flags);
        if (!name.equals(peer)) {
            throw fail("we called " + peer + " but " + name + " answered");
        }
        int myChallenge = RANDOM.nextInt();
        var reply = new ByteArrayOutputStream();
        var r = new DataOutputStream(reply);
        r.writeByte('r');
        r.writeInt(myChallenge);
        r.write(digest(challenge, me.cookie()));
        send(reply.toByteArray());
        stage = "after our challenge reply: it probably has a different cookie (see its log)";
        byte[] ack = receive();
        if (ack.length != 17 || ack[0] != 'a') {
            throw fail("expected the challenge acknowledgement ('a'), got " + describe(ack));
        }
        if (!Arrays.equals(Arrays.copyOfRange(ack, 1, 17), digest(myChallenge, me.cookie()))) {
            throw fail("the peer's answer to our challenge is wrong: it has a different cookie");
        }
        return new Result(name, flags, creation, flags & me.flags());
    }

    private Result asAcceptor(Gate gate) throws IOException {
        var n = new DataInputStream(new java.io.ByteArrayInputStream(receive()));
        int tag = n.readUnsignedByte();
        if (tag != 'N') {
            throw fail("expected a version-6 name message ('N'), got tag " + tag
                    + (tag == 'n' ? ": the peer speaks only the old version-5 handshake (OTP 22 or older)" : ""));
        }
        long flags = n.readLong();
        int creation = n.readInt();
        String name = readName(n);
        peer = name;
        stage = "after saying its name";
        List<String> missing = DistFlags.missingMandatory(flags);
        if (!missing.isEmpty() || !validName(name)) {
            sendStatus("not_allowed");
            throw fail(!missing.isEmpty() ? "the peer lacks mandatory capabilities " + missing
                    : "the peer's name is not of the form name@host");
        }
        Admission admission = gate.admit(name);
        switch (admission) {
            case OK -> sendStatus("ok");
            case OK_SIMULTANEOUS -> sendStatus("ok_simultaneous");
            case NOK -> {
                sendStatus("nok");
                throw fail("we are connecting to it at the same time, and our attempt wins");
            }
            case NOT_ALLOWED -> {
                sendStatus("not_allowed");
                throw fail("not allowed to connect");
            }
            case ALIVE -> {
                sendStatus("alive");
                String answer = status(receive());
                if (!answer.equals("true")) {
                    throw fail("it already has a connection to us and keeps it");
                }
                gate.replaceOld(name);
            }
        }
        int challenge = RANDOM.nextInt();
        var ch = new ByteArrayOutputStream();
        var c = new DataOutputStream(ch);
        byte[] myName = me.name().getBytes(StandardCharsets.UTF_8);
        c.writeByte('N');
        c.writeLong(me.flags());
        c.writeInt(challenge);
        c.writeInt(me.creation());
        c.writeShort(myName.length);
        c.write(myName);
        send(ch.toByteArray());
        stage = "before answering our challenge";
        byte[] reply = receive();
        if (reply.length != 21 || reply[0] != 'r') {
            throw fail("expected the challenge reply ('r'), got " + describe(reply));
        }
        int theirChallenge = ((reply[1] & 0xff) << 24) | ((reply[2] & 0xff) << 16) | ((reply[3] & 0xff) << 8) | (reply[4] & 0xff);
        if (!Arrays.equals(Arrays.copyOfRange(reply, 5, 21), digest(challenge, me.cookie()))) {
            throw fail("invalid challenge reply: the peer has a different cookie");
        }
        byte[] ack = new byte[17];
        ack[0] = 'a';
        System.arraycopy(digest(theirChallenge, me.cookie()), 0, ack, 1, 16);
        send(ack);
        return new Result(name, flags, creation, flags & me.flags());
    }

    private byte[] nameMessage() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var d = new DataOutputStream(bytes);
        byte[] name = me.name().getBytes(StandardCharsets.UTF_8);
        d.writeByte('N');
        d.writeLong(me.flags());
        d.writeInt(me.creation());
        d.writeShort(name.length);
        d.write(name);
        return bytes.toByteArray();
    }

    private void checkFlags(long flags) throws HandshakeException {
        List<String> missing = DistFlags.missingMandatory(flags);
        if (!missing.isEmpty()) {
            throw fail("the peer lacks mandatory capabilities " + missing);
        }
    }

    /** Whether {@code name} is name@host, as net_kernel checks a connecting node's name. */
    static boolean validName(String name) {
        int at = name.indexOf('@');
        return at > 0 && at < name.length() - 1 && name.indexOf('@', at + 1) < 0;
    }

    /** MD5 of the cookie followed by the challenge in decimal, read as an unsigned 32-bit number. */
    public static byte[] digest(int challenge, String cookie) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(cookie.getBytes(StandardCharsets.ISO_8859_1));
            md5.update(Integer.toUnsignedString(challenge).getBytes(StandardCharsets.US_ASCII));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5, which every JVM must have", e);
        }
    }

    private HandshakeException fail(String reason) {
        return new HandshakeException(peer, reason);
    }

    private void sendStatus(String s) throws IOException {
        send(("s" + s).getBytes(StandardCharsets.US_ASCII));
    }

    private String status(byte[] m) throws HandshakeException {
        if (m.length < 1 || m[0] != 's') {
            throw fail("expected a status message ('s'), got " + describe(m));
        }
        return new String(m, 1, m.length - 1, StandardCharsets.US_ASCII);
    }

    private void send(byte[] body) throws IOException {
        byte[] framed = new byte[2 + body.length];
        framed[0] = (byte) (body.length >>> 8);
        framed[1] = (byte) body.length;
        System.arraycopy(body, 0, framed, 2, body.length);
        out.write(framed);
        out.flush();
    }

    private byte[] receive() throws IOException {
        int len = (readByte() << 8) | readByte();
        if (len == 0 || len > MAX_MESSAGE) {
            throw fail("a handshake message of " + len + " bytes: not a distribution handshake");
        }
        byte[] b = new byte[len];
        int off = 0;
        while (off < len) {
            armTimeout();
            int n = in.read(b, off, len - off);
            if (n < 0) {
                throw new EOFException();
            }
            off += n;
        }
        return b;
    }

    private int readByte() throws IOException {
        armTimeout();
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private void armTimeout() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException();
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
    }

    private static String readName(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new EOFException("truncated name");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String describe(byte[] m) {
        return m.length == 0 ? "an empty message" : "tag " + (m[0] & 0xff) + " with " + m.length + " bytes";
    }
}

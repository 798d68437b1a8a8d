package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.dist.term.DecodeException;
import io.loomix.dist.term.DecodeLimits;
import io.loomix.dist.term.TermRegistry;
import io.loomix.dist.term.Terms;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Autocluster: nodes that find each other by UDP gossip and connect, with no list of names (the
 * talk's third demo). It speaks libcluster's {@code Cluster.Strategy.Gossip} on the wire, so Loomix
 * nodes and Elixir nodes running that strategy on the same network join one cluster: every node
 * sends {@code "heartbeat::" ++ term_to_binary(#{node => node()})} to a multicast group (by default
 * 233.252.1.32, port 45892) at random intervals of up to five seconds, and connects to every node
 * whose heartbeat it hears and is not connected to yet. A connection fails unless both nodes share
 * the cookie, so other clusters on the network stay apart; with a {@code secret} the heartbeats are
 * encrypted as libcluster encrypts them (AES-256-CBC, the key SHA-256 of the secret, a random IV
 * before the ciphertext), and heartbeats made with another secret are ignored.
 * {@snippet :
 * Node.start("a", "secret");
 * Gossip.start(Gossip.Options.DEFAULT);                     // or .onInterface("127.0.0.1") on one machine
 * // a few seconds later, Node.list() holds every node that gossips on the group
 * }
 *
 * <p>One gossip per node, run by a process registered as {@code loomix_gossip}; {@link #stop}
 * ends it. A heartbeat is decoded with tight limits (one new atom, four levels), and anything that
 * is not a heartbeat is ignored. As with libcluster, anyone who can send to the group can make the
 * node try to connect to a name: use a secret on a network you do not trust.
 */
public final class Gossip {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist.gossip");
    private static final byte[] PRELUDE = "heartbeat::".getBytes(StandardCharsets.US_ASCII);
    private static final Atom NODE = Atom.of("node");
    private static final String REGISTERED = "loomix_gossip";
    private static final DecodeLimits HEARTBEAT_LIMITS = new DecodeLimits(4, 1, 0);
    /** Past this many node names heard, only names that are atoms already are read: atoms are never freed. */
    static final int MAX_NAMES = 1_000;
    /** How long a node whose connection failed (another cookie, gone) is not tried again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private Gossip() {}

    /**
     * @param group       the multicast group (libcluster's {@code multicast_addr}), or the broadcast
     *                    address with {@code broadcastOnly}
     * @param port        the UDP port every node listens on and sends to
     * @param onInterface the address of the interface to gossip on ({@code multicast_if}); null for
     *                    the system's choice
     * @param ttl         how many routers a heartbeat may cross (1: the local network)
     * @param secret      encrypts the heartbeats as libcluster does; null for plain ones
     * @param broadcastOnly send to {@code group} as a broadcast address, joining no group
     * @param maxInterval heartbeats go out at random intervals of up to this long
     */
    public record Options(InetAddress group, int port, InetAddress onInterface, int ttl, String secret,
                          boolean broadcastOnly, Duration maxInterval) {
        /** libcluster's defaults: 233.252.1.32, port 45892, TTL 1, no secret, up to five seconds. */
        public static final Options DEFAULT = new Options(address("233.252.1.32"), 45892, null, 1, null, false,
                Duration.ofSeconds(5));

        public Options {
            if (group == null || port < 1 || port > 65535 || ttl < 0 || ttl > 255 || maxInterval == null
                    || maxInterval.toMillis() < 1) {
                throw new IllegalArgumentException("gossip needs a group address, a port 1-65535, a TTL 0-255"
                        + " and an interval of at least 1 ms; got " + group + ", " + port + ", " + ttl + ", " + maxInterval);
            }
            if (!broadcastOnly && !group.isMulticastAddress()) {
                throw new IllegalArgumentException(group + " is not a multicast address: use one (224.0.0.0/4),"
                        + " or broadcastOnly with a broadcast address");
            }
        }

        public Options withPort(int p) {
            return new Options(group, p, onInterface, ttl, secret, broadcastOnly, maxInterval);
        }

        /** Gossip on the interface with this address, e.g. "127.0.0.1" for nodes of one machine. */
        public Options onInterface(String address) {
            return new Options(group, port, address(address), ttl, secret, broadcastOnly, maxInterval);
        }

        public Options withSecret(String s) {
            return new Options(group, port, onInterface, ttl, s, broadcastOnly, maxInterval);
        }

        public Options withMaxInterval(Duration d) {
            return new Options(group, port, onInterface, ttl, secret, broadcastOnly, d);
        }
    }

    private record Heard(Atom node) {}

    private record Tried(Atom node, boolean connected) {}

    /**
     * Starts gossiping for this node (started with {@link Node#start}); the first heartbeat goes
     * out at once.
     *
     * @throws IllegalStateException when the node is not started or gossip already runs
     * @throws IOException when the UDP socket cannot be opened or the group joined
     */
    public static Pid start(Options options) throws IOException {
        if (!Node.alive()) {
            throw new IllegalStateException("gossip needs a started node: Node.start(name, cookie) first");
        }
        if (Process.whereis(REGISTERED).isPresent()) {
            throw new IllegalStateException("gossip already runs on this node: Gossip.stop() first");
        }
        DatagramChannel channel = open(options);
        try {
            Pid gossip = Process.spawn(() -> run(channel, options));
            Process.register(REGISTERED, gossip);
            return gossip;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Ends this node's gossip, if it runs; connections it made stay. */
    public static void stop() {
        Process.whereis(REGISTERED).ifPresent(gossip -> {
            Process.run(() -> {
                var ref = Process.monitor(gossip);
                Process.exit(gossip, ExitReason.SHUTDOWN);
                Process.receive(Duration.ofSeconds(10), m -> m instanceof Down d && d.ref().equals(ref) ? d : null,
                        () -> null);
            });
        });
    }

    private static DatagramChannel open(Options o) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            ch.bind(new InetSocketAddress(o.port()));
            if (!o.broadcastOnly()) {
                NetworkInterface ni = o.onInterface() == null ? null : NetworkInterface.getByInetAddress(o.onInterface());
                if (o.onInterface() != null && ni == null) {
                    throw new IOException("no network interface has the address " + o.onInterface().getHostAddress());
                }
                if (ni == null) {
                    ni = defaultInterface();
                }
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, o.ttl());
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                ch.join(o.group(), ni);
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The first interface that is up and can multicast, the loopback one last. */
    private static NetworkInterface defaultInterface() throws IOException {
        NetworkInterface loopback = null;
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (!ni.isUp() || ni.inetAddresses().noneMatch(a -> a instanceof java.net.Inet4Address)) {
                continue;
            }
            if (ni.isLoopback()) {
                loopback = ni;
            } else if (ni.supportsMulticast()) {
                return ni;
            }
        }
        if (loopback == null) {
            throw new IOException("no network interface that is up has an IPv4 address to gossip on");
        }
        return loopback;
    }

    /** The gossip process: heartbeats on a random timer; what the listener hears, it connects to. */
    private static void run(DatagramChannel channel, Options o) {
        Pid me = Process.self();
        Process.spawnLink(() -> listen(channel, o, me)); // either's end ends both; the socket closes below
        Set<Atom> connecting = new HashSet<>();
        Map<Atom, Long> failedAt = new HashMap<>();
        long next = System.nanoTime();
        try {
            while (true) {
                long wait = Math.max(0, next - System.nanoTime());
                Object m = Process.receive(Duration.ofNanos(wait), x -> x, () -> null);
                switch (m) {
                    case null -> {
                        send(channel, o);
                        next = System.nanoTime()
                                + ThreadLocalRandom.current().nextLong(1, o.maxInterval().toNanos() + 1);
                    }
                    case Heard(Atom node) when !connecting.contains(node) && !Node.listAll().contains(node)
                            && !recentlyFailed(failedAt.get(node)) -> {
                        connecting.add(node);
                        Process.spawn(() -> Process.send(me, new Tried(node, Node.connect(node.name()))));
                    }
                    case Tried(Atom node, boolean connected) -> {
                        connecting.remove(node);
                        if (connected) {
                            failedAt.remove(node);
                            LOG.log(System.Logger.Level.INFO, () -> "Gossip: connected to " + node);
                        } else {
                            failedAt.put(node, System.nanoTime());
                        }
                    }
                    default -> {
                        // a heartbeat of a node connected or being connected: nothing to do
                    }
                }
            }
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static boolean recentlyFailed(Long at) {
        return at != null && System.nanoTime() - at < RETRY_AFTER.toNanos();
    }

    private static void send(DatagramChannel channel, Options o) {
        try {
            channel.send(ByteBuffer.wrap(heartbeat(Node.self(), o.secret())), new InetSocketAddress(o.group(), o.port()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Gossip: a heartbeat could not be sent to " + o.group().getHostAddress()
                    + ":" + o.port() + ": " + e.getMessage());
        }
    }

    /** The listener: each datagram that is a heartbeat of another node goes to the gossip process. */
    private static void listen(DatagramChannel channel, Options o, Pid gossip) {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        Atom self = Node.self();
        Set<Atom> names = new HashSet<>();
        while (true) {
            buf.clear();
            try {
                channel.receive(buf);
            } catch (IOException e) {
                throw Process.exit(Atom.of("closed"));
            }
            byte[] packet = Arrays.copyOf(buf.array(), buf.position());
            heardFrom(packet, o.secret(), names.size() < MAX_NAMES).filter(n -> !n.equals(self)).ifPresent(n -> {
                if (names.add(n) && names.size() == MAX_NAMES) {
                    LOG.log(System.Logger.Level.WARNING, "Gossip: " + MAX_NAMES + " node names heard; from now on only"
                            + " names that are atoms already are read (a flood of names would fill the atom table,"
                            + " which is never freed: gossip with a secret on a network you do not trust)");
                }
                Process.send(gossip, new Heard(n));
            });
        }
    }

    // ---- the packets (libcluster's) ----

    /** A heartbeat packet: {@code "heartbeat::" ++ term_to_binary(#{node => Node})}, encrypted with a secret. */
    static byte[] heartbeat(Atom node, String secret) {
        byte[] term = Terms.encode(Map.of(NODE, node));
        byte[] plain = new byte[PRELUDE.length + term.length];
        System.arraycopy(PRELUDE, 0, plain, 0, PRELUDE.length);
        System.arraycopy(term, 0, plain, PRELUDE.length, term.length);
        if (secret == null) {
            return plain;
        }
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        byte[] cipher = crypt(Cipher.ENCRYPT_MODE, secret, iv, plain, 0, plain.length);
        byte[] packet = new byte[16 + cipher.length];
        System.arraycopy(iv, 0, packet, 0, 16);
        System.arraycopy(cipher, 0, packet, 16, cipher.length);
        return packet;
    }

    /** The node a packet is a heartbeat of; empty for anything else (another secret, garbage). */
    static Optional<Atom> heardFrom(byte[] packet, String secret) {
        return heardFrom(packet, secret, true);
    }

    /** The same; unless {@code newName}, only a node name that is an atom already is read. */
    static Optional<Atom> heardFrom(byte[] packet, String secret, boolean newName) {
        byte[] plain = packet;
        if (secret != null) {
            if (packet.length < 32 || (packet.length - 16) % 16 != 0) {
                return Optional.empty();
            }
            try {
                plain = crypt(Cipher.DECRYPT_MODE, secret, Arrays.copyOf(packet, 16), packet, 16, packet.length - 16);
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // another secret: the padding does not check out
            }
        }
        if (plain.length <= PRELUDE.length || !Arrays.equals(plain, 0, PRELUDE.length, PRELUDE, 0, PRELUDE.length)) {
            return Optional.empty();
        }
        try {
            Object term = Terms.decode(Arrays.copyOfRange(plain, PRELUDE.length, plain.length), TermRegistry.DEFAULT,
                    newName ? HEARTBEAT_LIMITS : HEARTBEAT_LIMITS.withMaxNewAtoms(0));
            if (term instanceof Map<?, ?> m && m.get(NODE) instanceof Atom node && node.name().indexOf('@') > 0) {
                return Optional.of(node);
            }
        } catch (DecodeException | IllegalArgumentException e) {
            // not a heartbeat
        }
        return Optional.empty();
    }

    /** AES-256-CBC with PKCS#7 padding, the key SHA-256 of the secret: libcluster's. */
    private static byte[] crypt(int mode, String secret, byte[] iv, byte[] in, int off, int len) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS#5 here is PKCS#7 on 16-byte blocks
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(in, off, len);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new IllegalArgumentException("not encrypted with this secret", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks AES-256-CBC or SHA-256", e);
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an address: " + text, e);
        }
    }
}

package io.loomix.dist;

import io.loomix.dist.term.TermRegistry;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node starts. Every option has Erlang's default; change one with its {@code with...} method:
 * {@snippet :
 * Node.start("loomix", "secret", NodeOptions.DEFAULT.withHidden(true).withTickTime(Duration.ofSeconds(10)));
 * }
 *
 * @param hidden      a hidden node (erl's {@code -hidden}): not in other nodes' {@code nodes()}, and
 *                    it does not take part in {@code global}
 * @param longNames   complete a bare name with the full host name ({@code -name}) rather than the
 *                    short one ({@code -sname})
 * @param epmdPort    where epmd listens; the default reads {@code ERL_EPMD_PORT}, else 4369
 * @param listenPort  the distribution port; 0 lets the system choose, as erl does
 * @param tickTime    Erlang's net_ticktime: a silent peer is dropped after about this long
 * @param setupTime   how long a connection attempt (epmd, TCP, handshake) may take (net_setuptime)
 * @param maxMessage  the largest message accepted from a peer, in bytes; a larger one closes the connection
 * @param registry    which records travel as tagged tuples or Elixir structs (see {@link TermRegistry})
 * @param busyLimit   Erlang's dist_buf_busy_limit ({@code +zdbbl}), in bytes: while more than this waits
 *                    to be written to a peer, a process that sends to it is suspended
 */
public record NodeOptions(boolean hidden, boolean longNames, int epmdPort, int listenPort, Duration tickTime,
                          Duration setupTime, int maxMessage, TermRegistry registry, int busyLimit) {
    /**
     * Visible, short names, epmd from the environment, 60 s ticks, 7 s setup, 64 MiB messages, the
     * built-in term mapping, a 1 MiB busy limit.
     */
    public static final NodeOptions DEFAULT = new NodeOptions(false, false, -1, 0, Duration.ofSeconds(60),
            Duration.ofSeconds(7), 64 << 20, TermRegistry.DEFAULT, 1 << 20);

    public NodeOptions {
        Objects.requireNonNull(tickTime, "tickTime");
        Objects.requireNonNull(setupTime, "setupTime");
        Objects.requireNonNull(registry, "registry: use TermRegistry.DEFAULT");
        if (epmdPort == 0 || epmdPort > 65535 || listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("ports are 1-65535 (listenPort may be 0 for any), got epmd "
                    + epmdPort + ", listen " + listenPort);
        }
        if (busyLimit < 1024) {
            throw new IllegalArgumentException("the busy limit must be at least 1024 bytes, was " + busyLimit);
        }
    }

    public NodeOptions withHidden(boolean h) {
        return new NodeOptions(h, longNames, epmdPort, listenPort, tickTime, setupTime, maxMessage, registry, busyLimit);
    }

    public NodeOptions withLongNames(boolean l) {
        return new NodeOptions(hidden, l, epmdPort, listenPort, tickTime, setupTime, maxMessage, registry, busyLimit);
    }

    public NodeOptions withEpmdPort(int port) {
        return new NodeOptions(hidden, longNames, port, listenPort, tickTime, setupTime, maxMessage, registry, busyLimit);
    }

    public NodeOptions withListenPort(int port) {
        return new NodeOptions(hidden, longNames, epmdPort, port, tickTime, setupTime, maxMessage, registry, busyLimit);
    }

    public NodeOptions withTickTime(Duration t) {
        return new NodeOptions(hidden, longNames, epmdPort, listenPort, t, setupTime, maxMessage, registry, busyLimit);
    }

    public NodeOptions withSetupTime(Duration t) {
        return new NodeOptions(hidden, longNames, epmdPort, listenPort, tickTime, t, maxMessage, registry, busyLimit);
    }

    public NodeOptions withRegistry(TermRegistry r) {
        return new NodeOptions(hidden, longNames, epmdPort, listenPort, tickTime, setupTime, maxMessage, r, busyLimit);
    }

    public NodeOptions withMaxMessage(int bytes) {
        return new NodeOptions(hidden, longNames, epmdPort, listenPort, tickTime, setupTime, bytes, registry, busyLimit);
    }

    /** Erlang's {@code +zdbbl}: how many bytes may wait for a peer before its senders are suspended. */
    public NodeOptions withBusyLimit(int bytes) {
        return new NodeOptions(hidden, longNames, epmdPort, listenPort, tickTime, setupTime, maxMessage, registry, bytes);
    }
}

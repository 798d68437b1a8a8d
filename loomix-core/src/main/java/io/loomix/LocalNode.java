package io.loomix;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's identity, Erlang's {@code node()} and its creation, and the one rule that says
 * whether a {@link Pid}, {@link Ref} or {@link PortId} belongs to this node.
 *
 * <p>A node starts as {@code nonode@nohost} with creation 0. Distribution names it once, when the
 * node goes alive ({@link #start}), with the creation epmd handed out; {@link #stop} returns it to
 * {@code nonode@nohost}, as {@code net_kernel:stop/0} does.
 *
 * <p>The rule for "is this local": an identifier is local when it was made by this runtime, under
 * any name this node has had. Pids made before the node went alive carry {@code nonode@nohost} and
 * stay local afterwards, as on BEAM; and a pid that this node sent out under its name comes back
 * equal to the one it was made as, because {@link Pid#equals} compares local pids by number only.
 *
 * <p>All methods are safe to call from any thread.
 */
public final class LocalNode {
    /** The name of a node that is not alive. */
    public static final Atom NO_NODE = Atom.of("nonode@nohost");

    private record Identity(Atom name, int creation) {}

    private static final Identity NOT_ALIVE = new Identity(NO_NODE, 0);

    private static volatile Identity current = NOT_ALIVE;
    /** Names this node had before the current one (rare: a stop and a new start); copy-on-write. */
    private static volatile Identity[] past = new Identity[0];

    private static final ConcurrentHashMap<Atom, Integer> PRINT_INDEX = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_PRINT_INDEX = new AtomicInteger(1);

    private LocalNode() {}

    /** This node's name: {@code nonode@nohost} until distribution starts. */
    public static Atom name() {
        return current.name;
    }

    /** This node's creation (its incarnation number from epmd): 0 until distribution starts. */
    public static int creation() {
        return current.creation;
    }

    /** {@code true} once distribution has named this node. */
    public static boolean isAlive() {
        return current != NOT_ALIVE;
    }

    /**
     * {@code true} when an identifier made on {@code node} with {@code creation} belongs to this
     * runtime: made under the current name and creation, under an earlier one, or before the node
     * went alive ({@code nonode@nohost}).
     */
    public static boolean isLocal(Atom node, int creation) {
        Identity id = current;
        if (node == id.name && creation == id.creation || node == NO_NODE) {
            return true;
        }
        for (Identity p : past) {
            if (node == p.name && creation == p.creation) {
                return true;
            }
        }
        return false;
    }

    /** {@code true} when {@code node} names this node now (a registered name {@code {Name, Node}} is local). */
    public static boolean isLocalNode(Atom node) {
        return node == current.name || node == NO_NODE;
    }

    /**
     * Names this node; called once by distribution when the node goes alive.
     *
     * @throws IllegalStateException if the node is already alive (stop it first)
     * @throws IllegalArgumentException if the name has no {@code @}, or the creation is 0 (reserved)
     */
    public static synchronized void start(Atom name, int creation) {
        Objects.requireNonNull(name, "node name");
        if (current != NOT_ALIVE) {
            throw new IllegalStateException("this node is already alive as " + current.name
                    + "; stop distribution before starting it as " + name);
        }
        if (name.name().indexOf('@') <= 0 || name == NO_NODE) {
            throw new IllegalArgumentException("a node name looks like name@host, got " + name);
        }
        if (creation == 0) {
            throw new IllegalArgumentException("creation 0 is reserved; use the creation epmd handed out");
        }
        current = new Identity(name, creation);
    }

    /** Returns this node to {@code nonode@nohost}; its identifiers made so far stay local. */
    public static synchronized void stop() {
        Identity id = current;
        if (id == NOT_ALIVE) {
            return;
        }
        Identity[] now = java.util.Arrays.copyOf(past, past.length + 1);
        now[past.length] = id;
        past = now;
        current = NOT_ALIVE;
    }

    /** The number Erlang prints for a node in {@code <N.id.serial>}: 0 for this node. */
    static int printIndex(Atom node, int creation) {
        if (isLocal(node, creation)) {
            return 0;
        }
        return PRINT_INDEX.computeIfAbsent(node, n -> NEXT_PRINT_INDEX.getAndIncrement());
    }
}

package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.handshake.Handshake;
import io.loomix.dist.term.TermRegistry;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link NodeTable} that is never started, for tests with no network, and reflective access to
 * its peer entries (the class is private to the table): an entry is made as a request to that
 * node would make it.
 */
final class UnstartedTable {
    static final Connection.Options OPTIONS = new Connection.Options(Duration.ofSeconds(60), 1 << 20);

    private UnstartedTable() {}

    /** A table for self@host that nothing starts. */
    static NodeTable table() {
        return new NodeTable(new NodeTable.Settings(
                new Handshake.Identity("self@host", DistFlags.LOOMIX, 1, "cookie"), 1, OPTIONS,
                Duration.ofSeconds(7), TermRegistry.DEFAULT));
    }

    /** The table's peer entries by node. */
    @SuppressWarnings("unchecked")
    static Map<Atom, Object> peers(NodeTable table) throws ReflectiveOperationException {
        return (Map<Atom, Object>) field(table, NodeTable.class, "peers");
    }

    /** The table's entry for {@code node}, made if there is none. */
    static Object peer(NodeTable table, Atom node) throws ReflectiveOperationException {
        Class<?> type = Class.forName(NodeTable.class.getName() + "$Peer");
        Constructor<?> make = type.getDeclaredConstructor(Atom.class);
        make.setAccessible(true);
        return peers(table).computeIfAbsent(node, n -> {
            try {
                return make.newInstance(n);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A field of a peer entry (or of {@code owner}'s own class), by name. */
    static Object field(Object owner, String name) throws ReflectiveOperationException {
        return field(owner, owner.getClass(), name);
    }

    static void setField(Object owner, String name, Object value) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        f.set(owner, value);
    }

    private static Object field(Object owner, Class<?> type, String name) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }
}

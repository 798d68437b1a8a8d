package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static io.loomix.Process.*;

/**
 * Elixir's {@code Registry}: a local key-value store of processes. A process registers itself
 * under keys, unique or duplicate; its entries go when it exits. A unique registry names servers
 * through {@link Via}: {@code GenServer.start(server, new Via(registry, "room:42"))}.
 *
 * {@snippet :
 * Registry rooms = Registry.startLink("rooms", Registry.Keys.UNIQUE);
 * Pid room = GenServer.start(new Room(), new Via(rooms, "lobby"));
 * GenServer.call(new Via(rooms, "lobby"), new Join("ann"));
 * }
 *
 * <p>As in Elixir, lookups read a shared table without a message round trip; only the owner
 * process cleans up, and a registering process links to it: if the registry dies, so do the
 * processes registered in it (unless they trap exits). Lookups never return a process that has
 * exited, even before its entries are cleaned. Values are shared between processes as they are
 * read: keep them immutable. A {@code Registry} is a handle, an immutable value naming the table.
 *
 * @param name the registry's name, also its owner process's registered name
 */
public record Registry(Atom name, Keys keys) implements NameRegistry {

    public enum Keys { UNIQUE, DUPLICATE }

    /** One registration: a process and the value it registered with. */
    public record Entry(Pid pid, Object value) {}

    /** Sent to listeners: Elixir's {@code {:register, registry, key, pid, value}}. */
    public record Registered(Atom registry, Object key, Pid pid, Object value) {}

    /** Sent to listeners when an entry goes, by unregister or exit. */
    public record Unregistered(Atom registry, Object key, Pid pid) {}

    public Registry {
        Objects.requireNonNull(name, "registry name must not be null");
        Objects.requireNonNull(keys, "keys must not be null");
    }

    /** The shared table; its owner process is the only one that removes the entries of exited processes. */
    static final class Table {
        final Pid owner;
        final List<Pid> listeners;
        final ConcurrentHashMap<Object, List<Entry>> byKey = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Pid, List<Object>> byPid = new ConcurrentHashMap<>();

        Table(Pid owner, List<Pid> listeners) {
            this.owner = owner;
            this.listeners = List.copyOf(listeners);
        }
    }

    private static final ConcurrentHashMap<Atom, Table> TABLES = new ConcurrentHashMap<>();

    /** Starts a registry owned by a new process linked to the caller and registered as {@code name}. */
    public static Registry startLink(String name, Keys keys) {
        return startLink(name, keys, List.of());
    }

    /** {@link #startLink(String, Keys)} whose {@code listeners} are sent {@link Registered} and {@link Unregistered}. */
    public static Registry startLink(String name, Keys keys, List<Pid> listeners) {
        Registry registry = new Registry(Atom.of(name), keys);
        GenServer.startLink(new Owner(registry, List.copyOf(listeners)), registry.name());
        return registry;
    }

    /** A child spec that starts the registry under a supervisor. */
    public static ChildSpec childSpec(String name, Keys keys) {
        return ChildSpec.worker(Atom.of(name), () -> {
            startLink(name, keys);
            return whereis(name).orElseThrow();
        });
    }

    private Table table() {
        Table t = TABLES.get(name);
        if (t == null || !alive(t.owner)) {
            throw new IllegalArgumentException("unknown registry " + name + ": start it with Registry.startLink(\""
                    + name.name() + "\", ...) first");
        }
        return t;
    }

    /**
     * Registers the calling process under {@code key} with {@code value}. In a unique registry,
     * returns false if a live process (the caller included) holds the key already.
     */
    public boolean register(Object key, Object value) {
        Objects.requireNonNull(key, "register: key must not be null");
        Table t = table();
        Pid me = self();
        boolean[] added = {false};
        t.byKey.compute(key, (k, old) -> {
            List<Entry> live = old == null ? List.of() : old.stream().filter(e -> alive(e.pid())).toList();
            if (keys == Keys.UNIQUE && !live.isEmpty()) {
                return old;
            }
            added[0] = true;
            List<Entry> next = new ArrayList<>(keys == Keys.UNIQUE ? List.of() : old == null ? List.of() : old);
            next.add(new Entry(me, value));
            return List.copyOf(next);
        });
        if (!added[0]) {
            return false;
        }
        t.byPid.merge(me, List.of(key), (a, b) -> {
            List<Object> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
        link(t.owner); // the owner, trapping exits, hears of our exit and removes our entries
        for (Pid l : t.listeners) {
            send(l, new Registered(name, key, me, value));
        }
        return true;
    }

    /**
     * Removes the calling process's entries under {@code key}. Once it holds no key here, it is
     * unlinked from the registry, as in Elixir.
     */
    public void unregister(Object key) {
        Table t = table();
        Pid me = self();
        if (removeEntries(t, key, me)) {
            List<Object> left = t.byPid.computeIfPresent(me, (p, ks) -> {
                List<Object> rest = ks.stream().filter(k -> !k.equals(key)).toList();
                return rest.isEmpty() ? null : rest;
            });
            if (left == null) {
                unlink(t.owner);
            }
            for (Pid l : t.listeners) {
                send(l, new Unregistered(name, key, me));
            }
        }
    }

    private static boolean removeEntries(Table t, Object key, Pid pid) {
        boolean[] removed = {false};
        t.byKey.computeIfPresent(key, (k, entries) -> {
            List<Entry> rest = entries.stream().filter(e -> !e.pid().equals(pid)).toList();
            removed[0] = rest.size() != entries.size();
            return rest.isEmpty() ? null : rest;
        });
        return removed[0];
    }

    /** The live processes registered under {@code key}, oldest first, with their values. */
    public List<Entry> lookup(Object key) {
        List<Entry> entries = table().byKey.get(key);
        return entries == null ? List.of() : entries.stream().filter(e -> alive(e.pid())).toList();
    }

    /** The keys {@code pid} is registered under. */
    public List<Object> keys(Pid pid) {
        return alive(pid) ? table().byPid.getOrDefault(pid, List.of()) : List.of();
    }

    /** How many entries of live processes the registry holds. */
    public int count() {
        int n = 0;
        for (List<Entry> entries : table().byKey.values()) {
            for (Entry e : entries) {
                n += alive(e.pid()) ? 1 : 0;
            }
        }
        return n;
    }

    // ---- as a via registry ----

    @Override
    public boolean registerName(Object key) {
        checkUnique();
        return register(key, Atom.of("undefined"));
    }

    private void checkUnique() {
        if (keys != Keys.UNIQUE) {
            throw new IllegalArgumentException("a Via is not supported for duplicate registries: registry " + name
                    + " has duplicate keys; name servers through a registry started with Keys.UNIQUE");
        }
    }

    @Override
    public void unregisterName(Object key) {
        unregister(key);
    }

    @Override
    public Optional<Pid> whereisName(Object key) {
        checkUnique();
        List<Entry> entries = lookup(key);
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst().pid());
    }

    @Override
    public String toString() {
        return "Registry(" + name + "," + keys + ")";
    }

    /** The owner process: makes the table, and removes the entries of processes that exit. */
    static final class Owner extends GenServer<Table> {
        private final Registry registry;
        private final List<Pid> listeners;

        Owner(Registry registry, List<Pid> listeners) {
            this.registry = registry;
            this.listeners = listeners;
        }

        @Override
        protected Init<Table> init() {
            trapExit(true);
            Table t = new Table(self(), listeners);
            TABLES.put(registry.name(), t);
            return ok(t);
        }

        @Override
        protected Result<Table> handleInfo(Object message, Table t) {
            if (message instanceof Exit(Pid pid, ExitReason reason)) {
                List<Object> keys = t.byPid.remove(pid);
                if (keys != null) {
                    for (Object key : keys) {
                        if (removeEntries(t, key, pid)) {
                            for (Pid l : t.listeners) {
                                send(l, new Unregistered(registry.name(), key, pid));
                            }
                        }
                    }
                }
                return noReply(t);
            }
            return super.handleInfo(message, t);
        }

        @Override
        protected void terminate(ExitReason reason, Table t) {
            TABLES.remove(registry.name(), t);
        }

        @Override
        protected String formatState(Table t) {
            return registry + " with " + t.byKey.size() + " keys";
        }
    }
}

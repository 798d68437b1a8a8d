package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Pid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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
 *
 * Registry topics = Registry.startLink("topics", Registry.Keys.DUPLICATE, 2);   // two partitions
 * topics.register("news", "ann");
 * topics.dispatch("news", entries -> entries.forEach(e -> send(e.pid(), headline)));
 * }
 *
 * <p>As in Elixir, lookups read a shared table without a message round trip; only the owner
 * processes clean up, and a registering process links to one of them (its partition, chosen by
 * its pid): if the registry dies, so do the processes registered in it (unless they trap exits).
 * Once a process holds no key, it is unlinked. Lookups never return a process that has exited,
 * even before its entries are cleaned. Values are shared between processes as they are read: keep
 * them immutable. A {@code Registry} is a handle, an immutable value naming the table.
 *
 * @param name the registry's name, also its first partition's registered name
 */
public record Registry(Atom name, Keys keys) implements NameRegistry {

    public enum Keys { UNIQUE, DUPLICATE }

    /** One registration: a process and the value it registered with. */
    public record Entry(Pid pid, Object value) {}

    /** Sent to listeners: Elixir's {@code {:register, registry, key, pid, value}}. */
    public record Registered(Atom registry, Object key, Pid pid, Object value) {}

    /** Sent to listeners when an entry goes, by unregister or exit. */
    public record Unregistered(Atom registry, Object key, Pid pid) {}

    /** What {@link #updateValue} did: the value now registered and the one it replaced. */
    public record Updated(Object newValue, Object oldValue) {}

    public Registry {
        Objects.requireNonNull(name, "registry name must not be null");
        Objects.requireNonNull(keys, "keys must not be null");
    }

    /** Starts a registry owned by a new process linked to the caller and registered as {@code name}. */
    public static Registry startLink(String name, Keys keys) {
        return startLink(name, keys, 1, List.of());
    }

    /** {@link #startLink(String, Keys)} whose {@code listeners} are sent {@link Registered} and {@link Unregistered}. */
    public static Registry startLink(String name, Keys keys, List<Pid> listeners) {
        return startLink(name, keys, 1, listeners);
    }

    /**
     * A registry with {@code partitions} owner processes (Elixir's {@code partitions}): each
     * cleans up after the processes linked to it, so exits of many registrants are handled in
     * parallel. The first partition is registered as {@code name}; the others are linked to it.
     */
    public static Registry startLink(String name, Keys keys, int partitions) {
        return startLink(name, keys, partitions, List.of());
    }

    public static Registry startLink(String name, Keys keys, int partitions, List<Pid> listeners) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a registry needs at least one partition, got " + partitions);
        }
        Registry registry = new Registry(Atom.of(name), keys);
        GenServer.startLink(new RegistryTable.Owner(registry, List.copyOf(listeners), partitions, self()), registry.name());
        return registry;
    }

    /** A child spec that starts the registry under a supervisor. */
    public static ChildSpec childSpec(String name, Keys keys) {
        return ChildSpec.worker(Atom.of(name), () -> {
            startLink(name, keys);
            return whereis(name).orElseThrow();
        });
    }

    private RegistryTable table() {
        return RegistryTable.of(name);
    }

    // ---- registering ----

    /**
     * Registers the calling process under {@code key} with {@code value}. In a unique registry,
     * returns false if a live process (the caller included) holds the key already.
     */
    public boolean register(Object key, Object value) {
        Objects.requireNonNull(key, "register: key must not be null");
        return table().register(key, value, keys == Keys.UNIQUE);
    }

    /**
     * Removes the calling process's entries under {@code key}. Once it holds no key here, it is
     * unlinked from the registry, as in Elixir.
     */
    public void unregister(Object key) {
        table().unregister(key, v -> true);
    }

    /** Removes the calling process's entries under {@code key} whose value matches, Elixir's {@code unregister_match}. */
    public void unregisterMatch(Object key, Predicate<Object> value) {
        table().unregister(key, Objects.requireNonNull(value, "unregisterMatch: predicate must not be null"));
    }

    /**
     * Replaces the calling process's value under {@code key} with {@code fn(old)}, Elixir's
     * {@code update_value}: empty if it holds no such key. Unique registries only.
     */
    public Optional<Updated> updateValue(Object key, UnaryOperator<Object> fn) {
        if (keys != Keys.UNIQUE) {
            throw new IllegalArgumentException("updateValue is for unique registries; " + name + " has duplicate keys");
        }
        return table().updateValue(key, Objects.requireNonNull(fn, "updateValue: function must not be null"));
    }

    // ---- reading ----

    /** The live processes registered under {@code key}, oldest first, with their values. */
    public List<Entry> lookup(Object key) {
        return table().lookup(key);
    }

    /** The entries under {@code key} whose value matches, Elixir's {@code match} (guards are the predicate). */
    public List<Entry> match(Object key, Predicate<Object> value) {
        Objects.requireNonNull(value, "match: predicate must not be null");
        return lookup(key).stream().filter(e -> value.test(e.value())).toList();
    }

    /** How many entries under {@code key} match, Elixir's {@code count_match}. */
    public int countMatch(Object key, Predicate<Object> value) {
        return match(key, value).size();
    }

    /** The values {@code pid} registered under {@code key}, Elixir's {@code values}. */
    public List<Object> values(Object key, Pid pid) {
        return lookup(key).stream().filter(e -> e.pid().equals(pid)).map(Entry::value).toList();
    }

    /**
     * Calls {@code fn} with the entries under {@code key}, in the caller, if there are any:
     * Elixir's {@code dispatch}, the way to broadcast to a topic.
     */
    public void dispatch(Object key, Consumer<List<Entry>> fn) {
        Objects.requireNonNull(fn, "dispatch: function must not be null");
        List<Entry> entries = lookup(key);
        if (!entries.isEmpty()) {
            fn.accept(entries);
        }
    }

    /** The keys {@code pid} is registered under. */
    public List<Object> keys(Pid pid) {
        return table().keysOf(pid);
    }

    /** How many entries of live processes the registry holds. */
    public int count() {
        return table().count();
    }

    /**
     * Runs {@code fn} in the caller while no other process runs a {@code lock} with the same
     * {@code lockKey} in this registry, Elixir's {@code lock}. A holder that exits releases the lock.
     */
    public <R> R lock(Object lockKey, Supplier<R> fn) {
        Objects.requireNonNull(lockKey, "lock: key must not be null");
        Objects.requireNonNull(fn, "lock: function must not be null");
        Pid owner = table().owner();
        GenServer.call(owner, new RegistryTable.Lock(lockKey), GenServer.INFINITY);
        try {
            return fn.get();
        } finally {
            GenServer.cast(owner, new RegistryTable.Unlock(lockKey, self()));
        }
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

    static List<Object> without(List<Object> keys, Object key) {
        List<Object> rest = new ArrayList<>(keys);
        rest.remove(key);
        return List.copyOf(rest);
    }
}

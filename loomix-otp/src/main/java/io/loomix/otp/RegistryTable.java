package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static io.loomix.Process.*;

/**
 * A {@link Registry}'s shared table and its owner processes (partitions). Any process reads and
 * writes its own entries; only the partition a process is linked to removes the entries of a
 * process that exits. The first partition also holds the registry's locks.
 */
final class RegistryTable {
    private static final ConcurrentHashMap<Atom, RegistryTable> TABLES = new ConcurrentHashMap<>();

    final Registry registry;
    final List<Pid> listeners;
    final Pid[] partitions;
    /** The process that called startLink: linked to the first partition by the start itself. */
    private final Pid starter;
    final ConcurrentHashMap<Object, List<Registry.Entry>> byKey = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Pid, List<Object>> byPid = new ConcurrentHashMap<>();

    private RegistryTable(Registry registry, List<Pid> listeners, Pid[] partitions, Pid starter) {
        this.starter = starter;
        this.registry = registry;
        this.listeners = listeners;
        this.partitions = partitions;
    }

    static RegistryTable of(Atom name) {
        RegistryTable t = TABLES.get(name);
        if (t == null || !alive(t.owner())) {
            throw new IllegalArgumentException("unknown registry " + name + ": start it with Registry.startLink(\""
                    + name.name() + "\", ...) first");
        }
        return t;
    }

    Pid owner() {
        return partitions[0];
    }

    /** The partition that cleans up after {@code pid}: chosen by pid, as Elixir does for duplicate keys. */
    private Pid partitionOf(Pid pid) {
        return partitions[Math.floorMod(pid.hashCode(), partitions.length)];
    }

    boolean register(Object key, Object value, boolean unique) {
        Pid me = self();
        boolean[] added = {false};
        byKey.compute(key, (k, old) -> {
            List<Registry.Entry> live = old == null ? List.of() : old.stream().filter(e -> alive(e.pid())).toList();
            if (unique && !live.isEmpty()) {
                return old;
            }
            added[0] = true;
            List<Registry.Entry> next = new ArrayList<>(unique || old == null ? List.of() : old);
            next.add(new Registry.Entry(me, value));
            return List.copyOf(next);
        });
        if (!added[0]) {
            return false;
        }
        byPid.merge(me, List.of(key), (a, b) -> {
            List<Object> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
        link(partitionOf(me)); // the partition, trapping exits, hears of our exit and removes our entries
        for (Pid l : listeners) {
            send(l, new Registry.Registered(registry.name(), key, me, value));
        }
        return true;
    }

    void unregister(Object key, Predicate<Object> value) {
        Pid me = self();
        int removed = removeEntries(key, me, value);
        if (removed == 0) {
            return;
        }
        boolean stillUnderKey = byKey.getOrDefault(key, List.of()).stream().anyMatch(e -> e.pid().equals(me));
        List<Object> left = byPid.computeIfPresent(me, (p, ks) -> {
            List<Object> rest = ks;
            for (int i = 0; i < removed; i++) {
                rest = Registry.without(rest, key);
            }
            return rest.isEmpty() ? null : rest;
        });
        // The starter's link to the first partition is also its startLink link, which must stay:
        // in Elixir that link goes to the registry's supervisor, not to a partition.
        if (left == null && !(me.equals(starter) && partitionOf(me).equals(owner()))) {
            unlink(partitionOf(me));
        }
        if (!stillUnderKey) {
            for (Pid l : listeners) {
                send(l, new Registry.Unregistered(registry.name(), key, me));
            }
        }
    }

    /** Removes {@code pid}'s entries under {@code key} whose value matches; how many it removed. */
    private int removeEntries(Object key, Pid pid, Predicate<Object> value) {
        int[] removed = {0};
        byKey.computeIfPresent(key, (k, entries) -> {
            List<Registry.Entry> rest = entries.stream().filter(e -> !e.pid().equals(pid) || !value.test(e.value()))
                    .toList();
            removed[0] = entries.size() - rest.size();
            return rest.isEmpty() ? null : rest;
        });
        return removed[0];
    }

    Optional<Registry.Updated> updateValue(Object key, UnaryOperator<Object> fn) {
        Pid me = self();
        Registry.Updated[] done = {null};
        byKey.computeIfPresent(key, (k, entries) -> {
            if (entries.size() != 1 || !entries.getFirst().pid().equals(me)) {
                return entries;
            }
            Object old = entries.getFirst().value();
            Object next = fn.apply(old);
            done[0] = new Registry.Updated(next, old);
            return List.of(new Registry.Entry(me, next));
        });
        return Optional.ofNullable(done[0]);
    }

    List<Registry.Entry> lookup(Object key) {
        List<Registry.Entry> entries = byKey.get(key);
        return entries == null ? List.of() : entries.stream().filter(e -> alive(e.pid())).toList();
    }

    List<Object> keysOf(Pid pid) {
        return alive(pid) ? byPid.getOrDefault(pid, List.of()) : List.of();
    }

    int count() {
        int n = 0;
        for (List<Registry.Entry> entries : byKey.values()) {
            for (Registry.Entry e : entries) {
                n += alive(e.pid()) ? 1 : 0;
            }
        }
        return n;
    }

    /** A registrant exited: remove its entries. */
    void exited(Pid pid) {
        List<Object> keys = byPid.remove(pid);
        if (keys == null) {
            return;
        }
        for (Object key : new java.util.LinkedHashSet<>(keys)) {
            if (removeEntries(key, pid, v -> true) > 0) {
                for (Pid l : listeners) {
                    send(l, new Registry.Unregistered(registry.name(), key, pid));
                }
            }
        }
    }

    // ---- owner processes ----

    record Lock(Object key) {}

    record Unlock(Object key, Pid holder) {}

    /** A lock's holder (and the monitor on it) and who waits for it. */
    private static final class Held {
        Pid holder;
        Ref monitor;
        final ArrayDeque<From> waiting = new ArrayDeque<>();
    }

    /** The first partition: makes the table and the other partitions, and holds the locks. */
    static final class Owner extends GenServer<RegistryTable> {
        private final Registry registry;
        private final List<Pid> listeners;
        private final int count;
        private final Pid starter;
        private final Map<Object, Held> locks = new HashMap<>();

        Owner(Registry registry, List<Pid> listeners, int partitions, Pid starter) {
            this.starter = starter;
            this.registry = registry;
            this.listeners = listeners;
            this.count = partitions;
        }

        @Override
        protected Init<RegistryTable> init() {
            trapExit(true);
            Pid[] partitions = new Pid[count];
            partitions[0] = self();
            for (int i = 1; i < count; i++) {
                partitions[i] = GenServer.startLink(new Partition(registry.name()));
            }
            RegistryTable t = new RegistryTable(registry, listeners, partitions, starter);
            TABLES.put(registry.name(), t);
            return ok(t);
        }

        @Override
        protected CallResult<RegistryTable> handleCall(Object request, From from, RegistryTable t) {
            if (!(request instanceof Lock(Object key))) {
                return super.handleCall(request, from, t);
            }
            Held held = locks.computeIfAbsent(key, k -> new Held());
            if (held.holder != null) {
                held.waiting.addLast(from);
                return noReply(t);
            }
            grant(held, from);
            return noReply(t);
        }

        private static void grant(Held held, From from) {
            held.holder = from.pid();
            held.monitor = monitor(from.pid());
            from.reply(Sys.OK);
        }

        private void release(Object key, Held held) {
            demonitor(held.monitor, true);
            held.holder = null;
            From next = held.waiting.pollFirst();
            if (next != null) {
                grant(held, next);
            } else {
                locks.remove(key);
            }
        }

        @Override
        protected Result<RegistryTable> handleCast(Object request, RegistryTable t) {
            if (request instanceof Unlock(Object key, Pid holder)) {
                Held held = locks.get(key);
                if (held != null && holder.equals(held.holder)) {
                    release(key, held);
                }
                return noReply(t);
            }
            return super.handleCast(request, t);
        }

        @Override
        protected Result<RegistryTable> handleInfo(Object message, RegistryTable t) {
            switch (message) {
                case Exit(Pid pid, ExitReason reason) when List.of(t.partitions).contains(pid) ->
                        throw exit(reason); // a partition died: the registry goes with it
                case Exit(Pid pid, ExitReason reason) -> t.exited(pid);
                case Down d -> {
                    for (Map.Entry<Object, Held> e : List.copyOf(locks.entrySet())) {
                        if (d.ref().equals(e.getValue().monitor)) {
                            release(e.getKey(), e.getValue());
                        }
                    }
                }
                default -> {
                    return super.handleInfo(message, t);
                }
            }
            return noReply(t);
        }

        @Override
        protected void terminate(ExitReason reason, RegistryTable t) {
            TABLES.remove(registry.name(), t);
        }

        @Override
        protected String formatState(RegistryTable t) {
            return registry + " with " + t.byKey.size() + " keys";
        }
    }

    /** Another partition: removes the entries of the processes linked to it when they exit. */
    static final class Partition extends GenServer<Atom> {
        private final Atom name;

        Partition(Atom name) {
            this.name = name;
        }

        @Override
        protected Init<Atom> init() {
            trapExit(true);
            return ok(name);
        }

        @Override
        protected Result<Atom> handleInfo(Object message, Atom name) {
            if (message instanceof Exit(Pid pid, ExitReason reason)) {
                RegistryTable t = TABLES.get(name);
                if (t != null) {
                    t.exited(pid);
                }
                return noReply(name);
            }
            return super.handleInfo(message, name);
        }
    }
}

package io.loomix.code;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Erlang's rule for each module: at most two versions, current and old. A pure table: it decides
 * and records, and the {@link CodeServer} carries the decisions out (killing processes, making
 * class loaders). Not thread-safe: the code server calls it under its lock.
 *
 * @param <V> what a version is (the code server's {@code Version}; anything in tests)
 */
final class Versions<V> {
    /** The two slots of one module; {@code current} null after a delete. */
    record Slots<V>(V current, V old) {}

    /** What {@link #load} decided. */
    sealed interface LoadStep<V> {}

    /** Loaded: {@code current} is the new version; the one it replaced (if any) is now old. */
    record Loaded<V>(V current, V replaced) implements LoadStep<V> {}

    /** An old version is still there: purge it (killing the processes in it), then load again. */
    record PurgeFirst<V>(V old) implements LoadStep<V> {}

    private final Map<String, Slots<V>> modules = new HashMap<>();

    LoadStep<V> load(String module, V next) {
        Slots<V> slots = modules.get(module);
        if (slots != null && slots.old() != null) {
            return new PurgeFirst<>(slots.old());
        }
        V replaced = slots == null ? null : slots.current();
        modules.put(module, new Slots<>(next, replaced));
        return new Loaded<>(next, replaced);
    }

    /** Forgets the old version; returns it, or null when there was none. */
    V dropOld(String module) {
        Slots<V> slots = modules.get(module);
        if (slots == null || slots.old() == null) {
            return null;
        }
        if (slots.current() == null) {
            modules.remove(module);
        } else {
            modules.put(module, new Slots<>(slots.current(), null));
        }
        return slots.old();
    }

    /**
     * Erlang's {@code code:delete}: the current version becomes old, so that new fully qualified
     * calls fail. Returns false when there is no current version, or an old one is still there
     * (purge it first).
     */
    boolean delete(String module) {
        Slots<V> slots = modules.get(module);
        if (slots == null || slots.current() == null || slots.old() != null) {
            return false;
        }
        modules.put(module, new Slots<>(null, slots.current()));
        return true;
    }

    V current(String module) {
        Slots<V> slots = modules.get(module);
        return slots == null ? null : slots.current();
    }

    V old(String module) {
        Slots<V> slots = modules.get(module);
        return slots == null ? null : slots.old();
    }

    /** Every module with a current version, in no particular order. */
    List<String> loaded() {
        List<String> names = new ArrayList<>();
        modules.forEach((name, slots) -> {
            if (slots.current() != null) {
                names.add(name);
            }
        });
        return names;
    }
}

package io.loomix.dist.global;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * global's name table (the {@code global_names} and {@code global_pid_names} ets tables): each
 * name with its pid, resolve method and the monitor that takes the name away when the pid dies.
 * The name server's process writes it; {@link #where} and the other reads run on any thread, as
 * erl's {@code whereis_name/1} reads the ets table without asking the server.
 */
final class Names {
    private final ConcurrentHashMap<Object, GlobalServer.Entry> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Pid, Set<Object>> pidNames = new ConcurrentHashMap<>();
    private final Map<Ref, Object> refNames = new HashMap<>();

    /** where/1: the pid, or null; a local pid that has exited has no name. Any thread. */
    Pid where(Object name) {
        GlobalServer.Entry e = names.get(name);
        if (e == null || e.pid().isLocal() && !Process.alive(e.pid())) {
            return null;
        }
        return e.pid();
    }

    GlobalServer.Entry entry(Object name) {
        return names.get(name);
    }

    List<Object> list() {
        return List.copyOf(names.keySet());
    }

    boolean hasName(Pid pid) {
        return pidNames.containsKey(pid);
    }

    /** [{Name, Pid, Method}]: what the exchange sends. */
    List<Tuple> wireList() {
        List<Tuple> out = new ArrayList<>();
        names.forEach((name, e) -> out.add(Tuple.of(name, e.pid(), e.method())));
        return List.copyOf(out);
    }

    /** Name server: {@code name} is {@code pid}'s now (replacing any holder), monitored. */
    void insert(Object name, Pid pid, Object method) {
        delete(name);
        Ref ref = Process.monitor(pid);
        names.put(name, new GlobalServer.Entry(pid, method, ref));
        refNames.put(ref, name);
        pidNames.compute(pid, (p, s) -> {
            Set<Object> set = s == null ? new HashSet<>() : new HashSet<>(s);
            set.add(name);
            return Set.copyOf(set);
        });
    }

    /** Name server. */
    void delete(Object name) {
        GlobalServer.Entry e = names.remove(name);
        if (e == null) {
            return;
        }
        Process.demonitor(e.monitor(), true);
        refNames.remove(e.monitor());
        pidNames.computeIfPresent(e.pid(), (p, s) -> {
            Set<Object> set = new HashSet<>(s);
            set.remove(name);
            return set.isEmpty() ? null : Set.copyOf(set);
        });
    }

    /** Name server: the pid monitored by {@code ref} died (or its node went down). */
    void down(Ref ref) {
        Object name = refNames.get(ref);
        if (name != null) {
            GlobalServer.Entry e = names.get(name);
            if (e != null && e.monitor().equals(ref)) {
                delete(name);
            }
        }
    }

    /** Name server: the node stopped; nothing is registered any more. */
    void clear() {
        names.clear();
        pidNames.clear();
        refNames.clear();
    }
}

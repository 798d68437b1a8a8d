package io.loomix.otp;

import io.loomix.Pid;
import io.loomix.Process;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running GenServers by the class loader of their callback module, kept as they start, change
 * code and stop, so that a code server finds the servers of one loaded version without asking
 * every process on the node ({@link Sys#serversRunning}).
 *
 * <p>Only loaders other than the application's are tracked (modules loaded at run time, each
 * version in a loader of its own): an ordinary server pays one comparison at start and nothing else.
 *
 * <p>Any thread. A server removes itself when it stops (its loop's finally) and when it moves to
 * another loader; one killed while hibernated has no stack to run that finally, so readers also
 * drop pids that are no longer alive.
 */
final class ServerIndex {
    private ServerIndex() {}

    private static final ConcurrentHashMap<ClassLoader, Set<Pid>> BY_LOADER = new ConcurrentHashMap<>();
    private static final ClassLoader APPLICATION = ClassLoader.getSystemClassLoader();
    private static final ClassLoader OTP = ServerIndex.class.getClassLoader();

    static boolean tracked(ClassLoader loader) {
        return loader != null && loader != APPLICATION && loader != OTP && loader != ClassLoader.getPlatformClassLoader();
    }

    static void add(Class<?> callback, Pid pid) {
        ClassLoader loader = callback.getClassLoader();
        if (tracked(loader)) {
            // Sets are made and dropped only inside the map's compute for their loader, so no add lands in a set
            // a reader has just dropped as empty.
            BY_LOADER.compute(loader, (l, pids) -> {
                Set<Pid> in = pids == null ? ConcurrentHashMap.newKeySet() : pids;
                in.add(pid);
                return in;
            });
        }
    }

    static void remove(Class<?> callback, Pid pid) {
        ClassLoader loader = callback.getClassLoader();
        if (tracked(loader)) {
            BY_LOADER.computeIfPresent(loader, (l, pids) -> pids.remove(pid) && pids.isEmpty() ? null : pids);
        }
    }

    /** The live servers whose callback class {@code loader} defined. */
    static List<Pid> of(ClassLoader loader) {
        Set<Pid> pids = BY_LOADER.get(loader);
        List<Pid> out = new ArrayList<>();
        if (pids == null) {
            return out;
        }
        for (Pid pid : pids) {
            if (Process.alive(pid)) {
                out.add(pid);
            } else {
                pids.remove(pid);
            }
        }
        if (pids.isEmpty()) {
            BY_LOADER.computeIfPresent(loader, (l, in) -> in.isEmpty() ? null : in); // nor hold a loader to be unloaded
        }
        return out;
    }
}

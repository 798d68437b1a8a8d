package io.loomix.dist.global;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * global's lock table (the {@code global_locks} ets table and its helpers): a lock
 * {@code {ResourceId, LockRequesterId}} is held by any number of processes that asked for it with
 * the same requester id, each monitored; it goes with its last holder. The name server's process
 * writes it; the locker reads {@link #canSet} and {@link #globalLockSet} from its own process, as
 * erl's locker reads the protected ets table.
 */
final class Locks {
    private record Holder(Pid pid, Ref ref) {}

    /** A lock and the processes that hold it. */
    private record Lock(Object requester, List<Holder> holders) {}

    private final ConcurrentHashMap<Object, Lock> locks = new ConcurrentHashMap<>();
    private final Map<Ref, Object> refLocks = new HashMap<>();
    /** The global lock went because its holder died (not by del_lock): names inserted now are void. */
    private boolean globalLockDown;

    /** can_set_lock/1 != false: free here, or held for the same requester. Any thread. */
    boolean canSet(Tuple id) {
        Lock l = locks.get(id.get(0));
        return l == null || Objects.equals(l.requester(), id.get(1));
    }

    /** Any thread. */
    boolean globalLockSet() {
        return locks.containsKey(Gns.GLOBAL);
    }

    /**
     * lock_still_set/3: a name inserted by {@code from} (a registrar's pid, or a node for names that
     * came in a connect) stands only while the lock it was inserted under is still held here.
     */
    boolean stillSet(Object from, List<?> extraInfo) {
        Lock l = locks.get(Gns.GLOBAL);
        if (l == null) {
            return !globalLockDown;
        }
        if (from instanceof Pid p) {
            return l.holders().stream().anyMatch(h -> h.pid().equals(p));
        }
        for (Object o : extraInfo) {
            if (o instanceof Tuple t && t.size() == 2 && t.get(0) == GlobalServer.LOCK && t.get(1) instanceof Tuple id
                    && id.size() == 2) {
                return Objects.equals(l.requester(), id.get(1));
            }
        }
        return false;
    }

    /** A monitored holder died: its locks go. */
    void down(Ref ref) {
        Object resource = refLocks.get(ref);
        if (resource != null) {
            Lock l = locks.get(resource);
            if (l != null) {
                removeHolder(resource, l, ref, true);
            }
        }
    }

    boolean set(Tuple id, Pid pid) {
        Object resource = id.get(0);
        Lock l = locks.get(resource);
        if (l != null && !Objects.equals(l.requester(), id.get(1))) {
            return false;
        }
        List<Holder> holders = l == null ? List.of() : l.holders();
        if (holders.stream().anyMatch(h -> h.pid().equals(pid))) {
            return true;
        }
        Ref ref = Process.monitor(pid);
        refLocks.put(ref, resource);
        List<Holder> more = new ArrayList<>(holders);
        more.add(new Holder(pid, ref));
        locks.put(resource, new Lock(id.get(1), List.copyOf(more)));
        return true;
    }

    void delete(Tuple id, Pid pid) {
        Lock l = locks.get(id.get(0));
        if (l != null && Objects.equals(l.requester(), id.get(1))) {
            for (Holder h : l.holders()) {
                if (h.pid().equals(pid)) {
                    removeHolder(id.get(0), l, h.ref(), false);
                    return;
                }
            }
        }
    }

    /** remove_lock/6: the last holder gone, the lock goes; {@code down}: its holder died. */
    private void removeHolder(Object resource, Lock l, Ref ref, boolean down) {
        Process.demonitor(ref, true);
        refLocks.remove(ref);
        List<Holder> rest = new ArrayList<>(l.holders());
        rest.removeIf(h -> h.ref().equals(ref));
        if (rest.isEmpty()) {
            locks.remove(resource);
            if (resource == Gns.GLOBAL) {
                globalLockDown = down;
            }
        } else {
            locks.put(resource, new Lock(l.requester(), List.copyOf(rest)));
        }
    }
}

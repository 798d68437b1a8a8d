package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Tuple;

import java.util.List;

/**
 * global:set_lock/3 and del_lock/2 for user code ({@link io.loomix.dist.Global}): the same calls
 * to every node's {@code global_name_server} that the registrar and the locker make, with
 * global.erl's retry loop around them. The lock belongs to the calling process.
 */
public final class UserLocks {
    private UserLocks() {}

    /**
     * set_lock(Id, Nodes, Retries) from the calling process: one attempt, then up to
     * {@code retries} more (negative: no limit), each after global.erl's random_sleep.
     */
    public static boolean set(GlobalServer server, Tuple id, List<Atom> nodes, long retries) {
        for (int times = 1; ; times++) {
            if (Gns.setLock(server, id, nodes)) {
                return true;
            }
            if (retries == 0) {
                return false;
            }
            if (retries > 0) {
                retries--;
            }
            Gns.randomSleep(times);
        }
    }

    /** del_lock(Id, Nodes) from the calling process. */
    public static void delete(Tuple id, List<Atom> nodes) {
        Gns.delLock(id, nodes);
    }
}

package io.loomix.internal;

import io.loomix.Ref;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Erlang's process aliases (alias/0,1, unalias/1, monitor/3's {@code alias} option): refs that
 * work as send destinations for their owner while they are active. The table is node-wide; each
 * owner also keeps its own refs ({@code Proc.addAlias}) so they end with it.
 */
final class Aliases {
    /**
     * An active alias and its owner. {@code once}: the first message through it ends it (alias
     * with {@code reply}); {@code monitor}: it is a monitor's ref, and a message through it also
     * removes the monitor ({@code reply_demonitor}).
     */
    private record Alias(Proc owner, boolean once, boolean monitor) {}

    /**
     * A message sent through an alias that stays active after it: the receiver drops it when it
     * reaches it if the alias has been removed meanwhile, as BEAM does. The sender's look-up and
     * its delivery are two steps, and an unalias (and a flush) between them would otherwise leave
     * a late reply in the mailbox for good, after a call that timed out.
     */
    record ViaAlias(Ref alias, Object message) {}

    private final Kernel kernel;
    private final ConcurrentHashMap<Ref, Alias> active = new ConcurrentHashMap<>();

    Aliases(Kernel kernel) {
        this.kernel = kernel;
    }

    void add(Proc owner, Ref ref, boolean once, boolean monitor) {
        active.put(ref, new Alias(owner, once, monitor));
        owner.addAlias(ref, this::isActive);
    }

    boolean isActive(Ref ref) {
        return active.containsKey(ref);
    }

    /**
     * Delivers through a local alias, or drops the message when the alias is not active. A
     * reply-once alias is removed before the message is delivered, so exactly one gets through;
     * for a monitor's {@code reply_demonitor} alias the monitor goes first, so no Down follows the reply.
     */
    void send(Ref ref, Object message) {
        Alias a = active.get(ref);
        if (a == null) {
            return;
        }
        if (a.once()) {
            if (!active.remove(ref, a)) {
                return;
            }
            if (a.monitor()) {
                Proc.Held held = a.owner().removeMonitor(ref);
                if (held != null) {
                    kernel.signals().dropWatch(a.owner(), ref, held);
                }
            }
        }
        a.owner().deliver(a.once() ? message : new ViaAlias(ref, message));
    }

    /** unalias/1 by its owner: whether the alias was active. */
    boolean unalias(Proc owner, Ref ref) {
        owner.removeAlias(ref);
        Alias a = active.get(ref);
        return a != null && a.owner() == owner && active.remove(ref, a);
    }

    /** The alias ends (its monitor ended, or its owner exited). */
    void drop(Proc owner, Ref ref) {
        Alias a = active.get(ref);
        if (a != null && a.owner() == owner) {
            active.remove(ref, a);
        }
    }

    void dropAll(Proc owner, List<Ref> refs) {
        for (Ref r : refs) {
            drop(owner, r);
        }
    }
}

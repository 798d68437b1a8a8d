package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Pid;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Erlang's local name registry (register/2, unregister/1, whereis/1, registered/0): one name per
 * process, one process per name, a name freed when its process exits.
 */
public final class Names {
    private final Kernel kernel;
    private final ConcurrentHashMap<Atom, Proc> byName = new ConcurrentHashMap<>();

    Names(Kernel kernel) {
        this.kernel = kernel;
    }


    public void register(Atom name, Pid pid) {
        Kernel.notNull(name, "register: name");
        Kernel.notNull(pid, "register: pid");
        if (name.name().equals("undefined")) {
            throw new IllegalArgumentException("badarg: 'undefined' cannot be registered as a name");
        }
        Proc proc = kernel.lookup(pid);
        if (proc == null) {
            throw new IllegalArgumentException("badarg: cannot register " + name + " for " + pid
                    + ": the process is not alive (or not on this node)");
        }
        synchronized (proc) {
            if (!proc.isAlive()) {
                throw new IllegalArgumentException("badarg: cannot register " + name + " for " + pid
                        + ": the process is not alive");
            }
            if (proc.registeredName != null) {
                throw new IllegalArgumentException("badarg: " + pid + " is already registered as "
                        + proc.registeredName + "; unregister it first");
            }
            Proc holder = byName.putIfAbsent(name, proc);
            if (holder != null) {
                throw new IllegalArgumentException("badarg: the name " + name + " is already registered to "
                        + holder.pid + "; pick another name or unregister it first");
            }
            proc.registeredName = name;
        }
    }

    public void unregister(Atom name) {
        Kernel.notNull(name, "unregister: name");
        Proc proc = byName.remove(name);
        if (proc == null) {
            throw new IllegalArgumentException("badarg: no process is registered as " + name);
        }
        synchronized (proc) {
            proc.registeredName = null;
        }
    }

    public Pid whereis(Atom name) {
        Proc p = byName.get(name);
        return p == null ? null : p.pid;
    }

    /** The live process registered as {@code name}, or null. */
    Proc registeredProc(Atom name) {
        return byName.get(name);
    }

    public List<Atom> registered() {
        return List.copyOf(byName.keySet());
    }

    void unregisterDead(Proc proc) {
        Atom name;
        synchronized (proc) {
            name = proc.registeredName;
            proc.registeredName = null;
        }
        if (name != null) {
            byName.remove(name, proc);
        }
    }
}

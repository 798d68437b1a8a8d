package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.NodeUp;
import io.loomix.dist.global.GlobalServer;
import io.loomix.otp.GenWire;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The registered processes other nodes expect on a node: {@code net_kernel} answers
 * {@code net_adm:ping/1}; {@code global_name_server} is global's name server
 * ({@link GlobalServer}); {@code rex} serves rpc's calls and casts (the handler is given).
 */
public final class Services {
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom IS_AUTH = Atom.of("is_auth");
    private static final Atom YES = Atom.of("yes");
    private static final Atom STOP = Atom.of("$loomix_stop");

    private final List<Pid> pids = new ArrayList<>();
    private final List<Atom> names = new ArrayList<>();
    private Pid groupLeader;
    private Pid spawnLinks;

    private Services() {}

    /**
     * Spawns and registers the three services ({@code rex} handles what rpc sends to
     * {@code {rex, Node}}; global's server hears of every visible node) and the group leader
     * spawn requests name ({@code io} handles what is sent to it: Erlang's I/O requests).
     */
    public static Services start(Atom self, NodeTable table, BiConsumer<Object, Atom> rex, Consumer<Object> io) {
        Services s = new Services();
        try {
            s.spawn("net_kernel", Services::netKernel, self);
            GlobalServer global = GlobalServer.create(self, table);
            Pid gns = s.spawn("global_name_server", global::handle, self);
            global.started(gns);
            table.watchAll(gns, true);
            for (Atom n : table.nodes(false)) {
                Process.send(gns, new NodeUp(n)); // connected before it watched (nodeup twice is harmless)
            }
            s.spawn("rex", (m, node) -> {
                rex.accept(m, node);
                return m != STOP;
            }, self);
            s.spawnLinks = SpawnLinks.start(table);
            table.spawnLinks(s.spawnLinks);
            s.groupLeader = Process.spawn(() -> {
                for (Object m = Process.receive(); m != STOP; m = Process.receive()) {
                    io.accept(m);
                }
            });
        } catch (RuntimeException e) {
            s.stop(); // the ones started before the failure
            throw e;
        }
        return s;
    }

    /** The group leader this node names in its spawn requests: an I/O server for processes spawned from here. */
    public Pid groupLeader() {
        return groupLeader;
    }

    /** The net_kernel process: the sender for messages sent from outside any process. */
    public Pid netKernel() {
        return pids.getFirst();
    }

    /** Stops the services; their names are free when this returns, so a node can start again at once. */
    public void stop() {
        for (int i = 0; i < pids.size(); i++) {
            if (pids.get(i).equals(Process.whereis(names.get(i)).orElse(null))) {
                try {
                    Process.unregister(names.get(i));
                } catch (IllegalArgumentException gone) {
                    // it exited meanwhile, and its name went with it
                }
            }
            Process.send(pids.get(i), STOP);
        }
        if (groupLeader != null) {
            Process.send(groupLeader, STOP);
        }
        if (spawnLinks != null) {
            Process.send(spawnLinks, new SpawnLinks.Stop());
        }
    }

    private interface Loop {
        boolean handle(Object message, Atom self);
    }

    private Pid spawn(String name, Loop loop, Atom self) {
        Pid pid = Process.spawn(() -> {
            while (loop.handle(Process.receive(), self)) {
                // one message at a time
            }
        });
        pids.add(pid);
        names.add(Atom.of(name));
        try {
            Process.register(name, pid);
        } catch (IllegalArgumentException taken) {
            Process.send(pid, STOP);
            pids.removeLast();
            names.removeLast();
            throw new IllegalStateException("cannot start the distribution service " + name + ": " + taken.getMessage()
                    + " (a process of this JVM holds the name; unregister it before Node.start)", taken);
        }
        return pid;
    }

    /**
     * gen:call({net_kernel, Node}, {is_auth, Node}) -> yes: what net_adm:ping/1 asks; OTP 24+ tags
     * the call with an alias (a GenWire call here), Node.ping with a bare ref (a tuple).
     */
    private static boolean netKernel(Object m, Atom self) {
        if (GenWire.parts(m) instanceof GenWire.Call c && c.request() instanceof Tuple req && req.size() == 2
                && req.get(0) == IS_AUTH) {
            Process.send(c.tag(), GenWire.message(new GenWire.Reply(c.tag(), YES)));
        } else if (m instanceof Tuple t && t.size() == 3 && t.get(0) == GEN_CALL
                && t.get(1) instanceof Tuple from && from.size() == 2 && from.get(0) instanceof Pid caller
                && t.get(2) instanceof Tuple req && req.size() == 2 && req.get(0) == IS_AUTH) {
            Process.send(caller, Tuple.of(from.get(1), YES));
        }
        return m != STOP;
    }
}

package io.loomix.shell;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.code.Code;
import io.loomix.code.NlServer;
import io.loomix.code.Peer;
import io.loomix.dist.Gossip;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;

import java.util.List;

/**
 * The shell's {@link Distribution} through loomix-dist's {@link Node}: {@code --sname/--name}
 * start the node and its {@link NlServer}, so that {@code nl} from any shell reaches this one and
 * this one's {@code nl} reaches every connected node that runs it.
 */
public final class NodeDistribution implements Distribution {
    private static final Atom PONG = Atom.of("pong");

    @Override
    public String start(String name, boolean longNames, String cookie) {
        Atom node = Node.start(name, cookie, NodeOptions.DEFAULT.withLongNames(longNames));
        NlServer.start();
        // Spawn requests and rpc from other nodes find the modules c() and nl loaded here first.
        Node.classResolver(module -> Code.server().currentClass(module).orElse(null));
        return node.toString();
    }

    @Override
    public String autocluster() {
        try {
            Gossip.start(Gossip.Options.DEFAULT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("autocluster could not start: " + e.getMessage(), e);
        }
        return "autocluster: gossiping on " + Gossip.Options.DEFAULT.group().getHostAddress() + ":"
                + Gossip.Options.DEFAULT.port();
    }

    @Override
    public String node() {
        return Node.self().toString();
    }

    @Override
    public boolean ping(String node) {
        return Node.ping(node) == PONG;
    }

    @Override
    public List<String> nodes() {
        return Node.list().stream().map(Atom::toString).toList();
    }

    @Override
    public Pid spawn(String node, String module, String function, List<Object> args) {
        return Node.spawn(Atom.of(node), Atom.of(module), Atom.of(function), args);
    }

    @Override
    public List<Peer> peers() {
        return Node.list().stream().map(n -> NlServer.peer(n.toString())).toList();
    }
}

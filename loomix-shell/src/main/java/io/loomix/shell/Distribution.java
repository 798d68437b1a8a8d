package io.loomix.shell;

import io.loomix.Pid;
import io.loomix.code.Peer;

import java.util.List;

/**
 * What the shell needs from distribution, found with {@link java.util.ServiceLoader}: the module
 * that implements distribution (loomix-dist) provides it, and the shell's {@code --sname},
 * {@code --name}, {@code --cookie}, {@code Node.*} and {@code nl} use it. Without a provider the
 * shell is a local node and says so when they are used.
 */
public interface Distribution {
    /**
     * Makes this node alive as {@code name} ({@code NAME} for {@code --sname}, {@code NAME@HOST}
     * for {@code --name}), with {@code cookie} (null: the default cookie file). Returns the
     * node's full name.
     */
    String start(String name, boolean longNames, String cookie);

    /**
     * Joins every node that gossips on the network (the talk's autocluster): for {@code --autocluster}.
     * Returns what to tell the user.
     */
    default String autocluster() {
        throw new UnsupportedOperationException("this distribution has no autocluster");
    }

    /** This node's name. */
    String node();

    /** Erlang's {@code net_adm:ping}: true for pong. */
    boolean ping(String node);

    /** The connected nodes, as {@code nodes()}. */
    List<String> nodes();

    /** {@code spawn(Node, Module, Function, Args)}: the module must be loaded there (by {@code nl}). */
    Pid spawn(String node, String module, String function, List<Object> args);

    /** The connected nodes as {@code nl} reaches them; a BEAM node says it does not run Loomix. */
    List<Peer> peers();
}

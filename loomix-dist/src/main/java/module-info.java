/**
 * Loomix distribution: Erlang's external term format ({@link io.loomix.dist.term}) and the
 * distribution protocol that lets Loomix nodes and Erlang/Elixir nodes talk as peers.
 */
module io.loomix.dist {
    requires transitive io.loomix.core;
    exports io.loomix.dist.term;
}

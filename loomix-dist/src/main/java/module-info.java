/**
 * Loomix distribution: Erlang's external term format ({@link io.loomix.dist.term}) and the
 * distribution protocol that lets Loomix nodes and Erlang/Elixir nodes talk as peers; the node API
 * is {@link io.loomix.dist.Node}.
 */
module io.loomix.dist {
    requires transitive io.loomix.core;
    requires io.loomix.otp; // GenWire: gen_server calls across nodes in OTP's shapes
    exports io.loomix.dist;
    exports io.loomix.dist.epmd;
    exports io.loomix.dist.term;
}

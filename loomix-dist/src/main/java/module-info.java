/**
 * Loomix distribution: a Loomix node speaks the Erlang distribution protocol, so it joins
 * clusters of {@code erl}, {@code iex} and other Loomix nodes. The API is {@link io.loomix.dist.Node}.
 */
module io.loomix.dist {
    requires io.loomix.core;
    exports io.loomix.dist.epmd;
}

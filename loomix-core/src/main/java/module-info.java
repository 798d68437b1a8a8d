/**
 * Loomix core: Erlang's process model for Java. The API is {@link io.loomix.Process}; the
 * runtime in {@code io.loomix.internal} is not exported.
 */
module io.loomix.core {
    exports io.loomix;
}

/**
 * Loomix core: Erlang's process model for Java. The API is {@link io.loomix.Process}; the
 * runtime in {@code io.loomix.internal} is not exported.
 */
module io.loomix.core {
    requires jdk.management; // per-thread allocated bytes, for per-process memory accounting
    exports io.loomix;
    // distribution installs the runtime's Remote and delivers incoming messages through Kernel
    exports io.loomix.internal to io.loomix.dist;
}

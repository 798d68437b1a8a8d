/**
 * Loomix core: Erlang's process model for Java. The API is {@link io.loomix.Process}; the
 * runtime in {@code io.loomix.internal} is not exported; distribution reaches it through
 * {@code io.loomix.internal.remote}, the test kit's manual clock through {@code io.loomix.internal.clock}.
 */
module io.loomix.core {
    requires jdk.management; // per-thread allocated bytes, for per-process memory accounting
    exports io.loomix;
    // distribution reaches the runtime through these hooks only (its Remote, incoming signals);
    // the runtime itself, io.loomix.internal, is exported to no one
    exports io.loomix.internal.remote to io.loomix.dist;
    // the test kit's ManualClock moves the runtime's timers through these hooks only
    exports io.loomix.internal.clock to io.loomix.testkit;
}

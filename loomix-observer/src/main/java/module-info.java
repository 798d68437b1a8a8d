/**
 * Loomix's observer, Erlang's {@code observer} in a browser: the node serves a page with its
 * system figures, a process table, each process's details and the supervision trees, refreshed
 * live from JSON endpoints. The API is {@link io.loomix.observer.Observer}.
 */
module io.loomix.observer {
    requires transitive io.loomix.core;
    requires io.loomix.otp;          // Sys.getState, Sys.module and whichChildren for behaviours
    requires jdk.httpserver;
    requires java.management;        // heap, uptime and thread figures of the JVM
    exports io.loomix.observer;
}

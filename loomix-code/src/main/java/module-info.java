/**
 * Loomix's code server: modules compiled in memory, loaded in a class loader per version, with
 * Erlang's rules for current and old code, hot swap of processes and GenServers, purge, and the
 * hooks {@code nl} needs from distribution. The API is {@link io.loomix.code.Code}.
 */
module io.loomix.code {
    requires transitive io.loomix.core;
    requires transitive io.loomix.otp;
    requires java.compiler;
    requires io.loomix.agent; // the yield points of the classes it defines
    exports io.loomix.code;
}

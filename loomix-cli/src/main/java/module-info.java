/**
 * The command line's JVM side ({@code ./loomix demo}, {@code node}, {@code epmd}) and the talk's
 * Grepex; exports nothing, it is an application run from the class path (where other nodes' rpc
 * and spawn requests reach {@code io.loomix.cli.Grepex}).
 */
module io.loomix.cli {
    requires io.loomix.core;
    requires io.loomix.dist;
    requires io.loomix.observer;
    requires io.loomix.otp; // Grepex, the talk's second demo
    requires java.management; // the cluster demo starts its nodes with this JVM's options
}

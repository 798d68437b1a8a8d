/** The command line's JVM side ({@code ./loomix demo}, {@code node}, {@code epmd}); exports nothing, it is an application. */
module io.loomix.cli {
    requires io.loomix.core;
    requires io.loomix.dist;
    requires io.loomix.observer;
}

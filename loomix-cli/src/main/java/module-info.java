/** The command line's JVM side ({@code ./loomix demo}); exports nothing, it is an application. */
module io.loomix.cli {
    requires io.loomix.core;
}

package io.loomix.bench;

/** What dist_spawn spawns on the other node: a function that returns at once (loomix_bench:dist_nop/0). */
public final class DistTargets {
    private DistTargets() {}

    public static void nop() {
        // the process exits normally as soon as it has started
    }
}

package io.loomix.code;

/** What {@code nl} did on one node. */
public sealed interface NlResult {
    String node();

    /** The node loaded the module: {@code loaded} is its answer, with the version number it gave it. */
    record Done(String node, Loaded loaded) implements NlResult {}

    /** Not sent: the node cannot run it (a BEAM node). */
    record Skipped(String node, String why) implements NlResult {}

    /** Sent, but the node could not load it (or could not be reached). */
    record Failed(String node, String why) implements NlResult {}
}

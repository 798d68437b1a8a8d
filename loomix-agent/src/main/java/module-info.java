/**
 * The Java agent that inserts yield points (preemption) into application classes. A
 * {@code -javaagent} jar is always loaded from the class path, so at run time this descriptor only
 * documents the agent's needs; it exports nothing. The yield points it writes call
 * {@code io.loomix.YieldPoint}, which the rewritten classes' own module must read.
 */
module io.loomix.agent {
    requires java.instrument;
    requires io.loomix.core; // loads io.loomix.YieldPoint before any rewritten class needs it
}

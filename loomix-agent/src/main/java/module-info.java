/**
 * Yield points (preemption) in application classes, inserted by the Java agent
 * ({@code -javaagent}, {@link io.loomix.agent.LoomixAgent}) or, with no agent and so no JVMTI
 * environment, by the class loader {@link io.loomix.agent.YieldPointClassLoader}. The code server
 * uses {@link io.loomix.agent.LoomixAgent#rewrite} for the classes it defines. A {@code -javaagent}
 * jar is always loaded from the class path. The yield points call {@code io.loomix.YieldPoint},
 * which the rewritten classes' own module must read.
 */
module io.loomix.agent {
    requires java.instrument;
    exports io.loomix.agent;
    requires io.loomix.core; // loads io.loomix.YieldPoint before any rewritten class needs it
}

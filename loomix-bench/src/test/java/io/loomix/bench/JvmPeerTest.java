package io.loomix.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The Loomix peer must start with the flags of the root's jvm.properties, as ./loomix and the tests do. */
class JvmPeerTest {
    @Test
    void loomixPeerGetsTheFlagsOfJvmProperties() {
        var options = JvmPeer.loomix().jvmOptions();
        int opens = options.indexOf("--add-opens");
        assertTrue(opens >= 0, "no --add-opens in " + options);
        assertEquals("java.base/java.lang=ALL-UNNAMED", options.get(opens + 1), options.toString());
        assertTrue(options.contains("-Djdk.trackAllThreads=false"), options.toString());
    }

    @Test
    void loomixPeerInsertsYieldPointsWithTheClassLoaderNotAnAgent() {
        var options = JvmPeer.loomix().jvmOptions();
        assertTrue(options.contains("-Djava.system.class.loader=io.loomix.agent.YieldPointClassLoader"), options.toString());
        assertTrue(options.stream().noneMatch(o -> o.startsWith("-javaagent")), options.toString());
    }
}

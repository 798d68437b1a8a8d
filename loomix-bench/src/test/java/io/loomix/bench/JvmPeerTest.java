package io.loomix.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

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

    @Test
    void manyProcessesJvmAddsJvmPropertiesLineToTheRowsThatHoldAMillionProcessesOnly() {
        assertTrue(BenchOptions.parse("--many-processes-jvm").manyProcessesJvm());
        assertFalse(BenchOptions.parse().manyProcessesJvm());
        var tuned = JvmPeer.loomix(true);
        assertEquals(List.of("-Xmn4g"), tuned.manyProcessesOptions(), "jvm.properties' loomix.jvm.manyProcesses");
        var broadcast = tuned.command(Workload.BROADCAST, 10).command();
        assertTrue(broadcast.indexOf("-Xmn4g") > broadcast.indexOf("-Xmx16g"), broadcast.toString());
        assertFalse(tuned.command(Workload.PINGPONG, 10).command().contains("-Xmn4g"));
        // The default figure stays the default JVM's.
        assertFalse(JvmPeer.loomix().command(Workload.BROADCAST, 10).command().contains("-Xmn4g"));
    }
}

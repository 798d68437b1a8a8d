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
    void theLoomixPeerGetsTheManyProcessesLineOnTheRowsThatHoldAMillionProcessesOnly() {
        assertFalse(BenchOptions.parse().defaultYoungGen());
        JvmPeer loomix = JvmPeer.loomix();
        assertEquals(List.of("-Xmn4g"), loomix.manyProcessesOptions(), "jvm.properties' loomix.jvm.manyProcesses");
        for (Workload held : List.of(Workload.BROADCAST, Workload.BROADCAST_AGED, Workload.IDLE, Workload.IDLE_GENSERVER)) {
            var command = loomix.command(held, 10).command();
            assertTrue(command.indexOf("-Xmn4g") > command.indexOf("-Xmx16g"), command.toString());
        }
        assertFalse(loomix.command(Workload.PINGPONG, 10).command().contains("-Xmn4g"));
        // Pekko gets the heap, not Loomix's young generation (it slowed Pekko's broadcast).
        var pekko = JvmPeer.pekko().command(Workload.BROADCAST, 10).command();
        assertTrue(pekko.contains("-Xmx16g"), pekko.toString());
        assertTrue(pekko.stream().noneMatch(o -> o.startsWith("-Xmn")), pekko.toString());
    }

    @Test
    void defaultYoungGenLeavesG1ItsOwnSizing() {
        assertTrue(BenchOptions.parse("--default-young-gen").defaultYoungGen());
        var command = JvmPeer.loomix(false).command(Workload.BROADCAST, 10).command();
        assertTrue(command.contains("-Xmx16g"), command.toString());
        assertTrue(command.stream().noneMatch(o -> o.startsWith("-Xmn")), command.toString());
    }

    @Test
    void theOldOptionSaysWhatReplacedIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--many-processes-jvm"));
        assertTrue(e.getMessage().contains("--default-young-gen"), e.getMessage());
    }
}

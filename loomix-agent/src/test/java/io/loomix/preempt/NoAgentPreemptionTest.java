package io.loomix.preempt;

import io.loomix.agent.YieldPointClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Yield points without a Java agent: {@link TightLoopScenario} in a JVM of its own with no
 * {@code -javaagent} and one scheduler, once through {@link YieldPointClassLoader} (its tight
 * loop is preempted) and once without it (the loop keeps the carrier until it ends), so the loader
 * is what makes it preemptible.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class NoAgentPreemptionTest {

    @Test
    void throughTheLoaderATightLoopIsPreemptedWithNoAgent() throws Exception {
        Map<String, String> saw = runScenario(true, null);
        assertEquals("true", saw.get("preempted"), "the other process did not run beside the loop: " + saw);
        assertEquals(YieldPointClassLoader.class.getName(), saw.get("scenarioLoader"), saw.toString());
        assertNotEquals(YieldPointClassLoader.class.getName(), saw.get("runtimeLoader"),
                "the runtime must stay with the class-path loader (one copy): " + saw);
        assertEquals("true", saw.get("systemLoaderFindsScenario"), saw.toString());
        assertEquals("true", saw.get("processContextIsScenarioLoader"), saw.toString());
        assertEquals("[]", saw.get("agents"), saw.toString());
    }

    @Test
    void withoutTheLoaderTheSameLoopKeepsTheCarrier() throws Exception {
        Map<String, String> saw = runScenario(false, null);
        assertEquals("false", saw.get("preempted"), "with neither agent nor loader nothing inserts yield points: " + saw);
        assertNotEquals(YieldPointClassLoader.class.getName(), saw.get("scenarioLoader"), saw.toString());
        assertEquals("[]", saw.get("agents"), saw.toString());
    }

    @Test
    void aJavaAgentBesideTheLoaderStillStarts() throws Exception {
        // The JVM appends an agent's jar to the system class loader, and stops at start-up if the
        // loader cannot take it; a profiler's agent beside the loader must not do that.
        String agent = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-javaagent:")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the tests run under loomix-agent: see the pom's argLine"));
        Map<String, String> saw = runScenario(true, agent);
        assertEquals("true", saw.get("preempted"), saw.toString());
        assertEquals(YieldPointClassLoader.class.getName(), saw.get("scenarioLoader"), saw.toString());
        assertEquals("[" + agent + "]", saw.get("agents"), saw.toString());
    }

    private static Map<String, String> runScenario(boolean loader, String agent) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        command.add("--add-opens=java.management/sun.management=ALL-UNNAMED");
        command.add("-Dloomix.schedulers=1");
        if (loader) {
            command.add("-Djava.system.class.loader=" + YieldPointClassLoader.class.getName());
        }
        if (agent != null) {
            command.add(agent);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TightLoopScenario.class.getName());
        Path log = Files.createTempFile("loomix-noagent", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS"); // no agent may sneak in
        java.lang.Process jvm = builder.start();
        try {
            boolean ended = jvm.waitFor(2, TimeUnit.MINUTES);
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertTrue(ended, "the scenario hung for 2 minutes:\n" + text);
            assertEquals(0, jvm.exitValue(), "the scenario failed:\n" + text);
            Map<String, String> saw = new HashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    saw.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            return saw;
        } finally {
            jvm.destroyForcibly().waitFor();
            Files.deleteIfExists(log);
        }
    }
}

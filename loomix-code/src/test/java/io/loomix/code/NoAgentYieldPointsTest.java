package io.loomix.code;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A module compiled by c() and loaded with no agent still gets yield points: the code server's
 * loader inserts them itself ({@link NoAgentScenario}, in a JVM with no {@code -javaagent}, one
 * scheduler, a loop that calls nothing). Fails (preempted=false) if ModuleLoader left the
 * rewriting to the agent, as it did before.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NoAgentYieldPointsTest {

    @Test
    void aModuleLoadedWithNoAgentIsPreempted() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        command.add("--add-opens=java.management/sun.management=ALL-UNNAMED");
        command.add("-Dloomix.schedulers=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NoAgentScenario.class.getName());
        Path log = Files.createTempFile("loomix-noagent", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        java.lang.Process jvm = builder.start();
        try {
            boolean ended = jvm.waitFor(2, TimeUnit.MINUTES);
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertTrue(ended, "the scenario hung for 2 minutes:\n" + text);
            assertEquals(0, jvm.exitValue(), "the scenario failed:\n" + text);
            assertTrue(text.contains("agents=[]"), "the scenario JVM must run with no agent:\n" + text);
            assertTrue(text.contains("preempted=true"), "the other process did not run beside the module's loop:\n" + text);
        } finally {
            jvm.destroyForcibly().waitFor();
            Files.deleteIfExists(log);
        }
    }
}

package io.loomix.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Out of memory, in a JVM of its own (32 MB of heap): see {@link OutOfMemoryScenario}. The
 * runtime's threads must survive an OutOfMemoryError thrown in a process or in themselves.
 */
class OutOfMemoryTest {
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theNodeWorksAgainOnceMemoryIsFreed() throws IOException, InterruptedException {
        for (int round = 0; round < 2; round++) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx32m");
            command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
            command.add("--add-opens=java.management/sun.management=ALL-UNNAMED");
            command.add("-cp");
            command.add(ForkedJvm.classPath());
            command.add(OutOfMemoryScenario.class.getName());
            Path log = Files.createTempFile("loomix-oom", ".log");
            java.lang.Process jvm = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean ended = jvm.waitFor(2, TimeUnit.MINUTES);
            if (!ended) {
                jvm.destroyForcibly().waitFor();
            }
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            Files.delete(log);
            String tail = text.length() > 4000 ? text.substring(text.length() - 4000) : text;
            assertTrue(ended, "round " + round + ": the scenario hung for 2 minutes:\n" + tail);
            assertEquals(0, jvm.exitValue(), "round " + round + ": the scenario failed:\n" + tail);
            assertTrue(text.contains("OK: "), tail);
        }
    }
}

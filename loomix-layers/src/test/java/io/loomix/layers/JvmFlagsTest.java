package io.loomix.layers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The JVM flags Loomix needs are written once, in jvm.properties: the places that start JVMs (the
 * launcher, the poms, the bench's JVM peer) read them from there instead of spelling them out.
 */
class JvmFlagsTest {
    private static final Path ROOT = LayersTest.ROOT;
    /** What the flags of jvm.properties open and set; other opens (a test module's, say) are not its business. */
    private static final List<String> FLAGS = List.of("java.base/java.lang=", "java.management/sun.management=",
            "jdk.trackAllThreads");

    @Test
    void onlyJvmPropertiesSpellsTheFlagsOut() throws IOException {
        var launchers = new ArrayList<Path>(List.of(ROOT.resolve("loomix"),
                ROOT.resolve("loomix-bench/src/main/java/io/loomix/bench/JvmPeer.java")));
        try (Stream<Path> poms = Files.walk(ROOT, 2)) {
            poms.filter(p -> p.getFileName().toString().equals("pom.xml")).forEach(launchers::add);
        }
        var spelled = new ArrayList<String>();
        for (Path file : launchers) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                boolean comment = line.startsWith("#") || line.startsWith("//") || line.startsWith("*") || line.startsWith("<!--");
                for (String flag : FLAGS) {
                    if (!comment && line.contains(flag)) {
                        spelled.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), spelled, "write JVM flags in jvm.properties and read them from there");
        assertTrue(Files.readString(ROOT.resolve("jvm.properties")).contains("loomix.jvm.flags=--add-opens"),
                "jvm.properties lost its flags line");
    }
}

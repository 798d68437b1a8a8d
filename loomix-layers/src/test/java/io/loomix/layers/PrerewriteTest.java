package io.loomix.layers;

import io.loomix.agent.LoomixAgent;
import io.loomix.agent.YieldPoints;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The build inserts the yield points into Loomix's modules (the root pom's yield-points
 * execution, io.loomix.agent.Prerewrite), so that the loaders define them as they are: every class
 * with code outside the runtime comes out of the build marked, and the runtime's classes (the
 * agent's exclusions: core's runtime packages, the distribution's wire and codec) never do.
 */
class PrerewriteTest {
    /** Modules whose classes are all the runtime's (never rewritten), and this one. */
    private static final Set<String> RUNTIME_MODULES = Set.of("loomix-core", "loomix-agent");
    /** The bench's Pekko peer runs in a JVM without Loomix, as it did before (loomix-bench's pom). */
    private static final String[] LEFT_ALONE = {"io/loomix/bench/pekko/"};

    @Test
    void everyModuleOutsideTheRuntimeIsBuiltWithItsYieldPoints() throws IOException {
        List<String> unmarked = new ArrayList<>();
        List<String> runtimeMarked = new ArrayList<>();
        int marked = 0;
        for (Layers.Module m : LayersTest.rules().modules()) {
            Path dir = LayersTest.ROOT.resolve(m.dir()).resolve("target/classes");
            for (Path file : classFiles(dir)) {
                String name = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                name = name.substring(0, name.length() - ".class".length());
                byte[] bytes = Files.readAllBytes(file);
                boolean runtime = RUNTIME_MODULES.contains(m.dir()) || LoomixAgent.excluded(name, LEFT_ALONE);
                if (YieldPoints.rewritten(bytes)) {
                    marked++;
                    if (runtime) {
                        runtimeMarked.add(name);
                    }
                } else if (!runtime && YieldPoints.instrument(bytes, getClass().getClassLoader()) != null) {
                    unmarked.add(m.dir() + ": " + name);
                }
            }
        }
        assertEquals(List.of(), runtimeMarked, "runtime classes (or the Pekko peer's) with yield points");
        assertEquals(0, unmarked.size(), unmarked.size() + " classes built without their yield points (does the module's"
                + " pom list exec-maven-plugin, the root pom's yield-points execution, and loomix-agent as a provided"
                + " dependency?), among them " + unmarked.subList(0, Math.min(10, unmarked.size())));
        assertTrue(marked > 300, "only " + marked + " classes marked: is loomix.root right?");
    }

    private static List<Path> classFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".class")
                    && !p.getFileName().toString().equals("module-info.class")).toList();
        }
    }
}

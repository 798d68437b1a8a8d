package io.loomix.layers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The layering of layers.txt holds over the class files the build just made. */
class LayersTest {
    static final Path ROOT = Path.of(System.getProperty("loomix.root", "..")).toAbsolutePath().normalize();

    static Layers.Rules rules() {
        try (InputStream in = LayersTest.class.getResourceAsStream("/layers.txt")) {
            return Layers.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyModuleKeepsToItsLayer() {
        Layers.Rules rules = rules();
        var classes = new ArrayList<Layers.ClassRefs>();
        for (Layers.Module m : rules.modules()) {
            Path dir = ROOT.resolve(m.dir()).resolve("target/classes");
            assertTrue(Files.isDirectory(dir), dir + " is missing: add " + m.dir()
                    + " as a test-scope dependency of loomix-layers, so that the reactor builds it first");
            classes.addAll(Layers.readDirectory(m.dir(), dir));
        }
        assertTrue(classes.stream().anyMatch(c -> c.name().equals("io.loomix.internal.Kernel")),
                "the check found no runtime classes in " + ROOT + ": is loomix.root right?");
        List<Layers.Violation> violations = Layers.check(rules, classes);
        assertEquals("", violations.stream().map(Object::toString).collect(Collectors.joining("\n")),
                violations.size() + " layer violations (rules: loomix-layers/src/test/resources/layers.txt)");
    }

    @Test
    void noModuleExportsTheRuntimeBeyondItsTable() throws IOException {
        Layers.Rules rules = rules();
        var descriptors = new java.util.HashMap<String, java.lang.module.ModuleDescriptor>();
        for (Layers.Module m : rules.modules()) {
            Path info = ROOT.resolve(m.dir()).resolve("target/classes/module-info.class");
            if (Files.isRegularFile(info)) {
                try (InputStream in = Files.newInputStream(info)) {
                    descriptors.put(m.dir(), java.lang.module.ModuleDescriptor.read(in));
                }
            }
        }
        assertTrue(descriptors.containsKey("loomix-core"), "no module-info.class in loomix-core/target/classes");
        assertEquals(List.of(), Layers.checkExports(rules, descriptors));
    }

    @Test
    void everyModuleHasALineInTheTable() throws IOException {
        var listed = rules().modules().stream().map(Layers.Module::dir).collect(Collectors.toSet());
        listed.add("loomix-layers");
        try (Stream<Path> dirs = Files.list(ROOT)) {
            var missing = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src/main")))
                    .map(d -> d.getFileName().toString())
                    .filter(d -> !listed.contains(d))
                    .sorted().toList();
            assertEquals(List.of(), missing, "modules without a line in loomix-layers/src/test/resources/layers.txt");
        }
    }
}

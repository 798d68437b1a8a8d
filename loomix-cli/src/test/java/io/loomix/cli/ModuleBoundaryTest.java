package io.loomix.cli;

import io.loomix.Process;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * This module is a user of Loomix on the module path: it sees the API and nothing of the runtime.
 * Fails if the tests fall back to the class path, where no boundary holds.
 */
class ModuleBoundaryTest {
    @Test
    void runsAsANamedModuleThatReadsTheCore() {
        Module me = getClass().getModule();
        assertEquals("io.loomix.cli", me.getName(), "the tests run on the class path: see useModulePath in the root pom");
        assertTrue(me.canRead(Process.class.getModule()));
    }

    @Test
    void theCoreExportsItsApiOnly() {
        Module core = Process.class.getModule();
        assertEquals("io.loomix.core", core.getName());
        Set<String> exported = core.getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.loomix"), exported);
        assertTrue(core.getPackages().contains("io.loomix.internal"));
        assertFalse(core.isExported("io.loomix.internal", getClass().getModule()));
        // two qualified exports: distribution's hooks to distribution alone, the clock's hooks to the
        // test kit alone, never the runtime itself
        Set<String> qualified = core.getDescriptor().exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified)
                .map(e -> e.source() + " to " + e.targets())
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.loomix.internal.remote to [io.loomix.dist]",
                "io.loomix.internal.clock to [io.loomix.testkit]"), qualified);
        assertFalse(core.isExported("io.loomix.internal.remote", getClass().getModule()));
        assertFalse(core.isExported("io.loomix.internal.clock", getClass().getModule()));
    }

    @Test
    void theRuntimeIsOutOfReach() throws ClassNotFoundException {
        Class<?> kernel = Class.forName("io.loomix.internal.Kernel");
        var e = assertThrows(IllegalAccessException.class, () -> kernel.getMethod("get").invoke(null));
        assertTrue(e.getMessage().contains("does not export io.loomix.internal"), e.getMessage());
    }
}

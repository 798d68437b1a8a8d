package io.loomix.preempt;

import io.loomix.agent.YieldPointClassLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What {@link YieldPointClassLoader} defines itself and what it leaves to its parent, in this JVM
 * (a fresh loader over the test's class path); {@link NoAgentPreemptionTest} runs it as the
 * system class loader.
 */
class YieldPointClassLoaderTest {
    private final YieldPointClassLoader loader = new YieldPointClassLoader(getClass().getClassLoader());

    @Test
    void classesOfTheClassPathAreDefinedHereWithTheirPackageAndCodeSource() throws Exception {
        Class<?> mine = loader.loadClass(TightLoopScenario.class.getName());
        assertSame(loader, mine.getClassLoader());
        assertNotSame(TightLoopScenario.class, mine, "a copy of its own, with yield points");
        assertEquals(TightLoopScenario.class.getPackageName(), mine.getPackage().getName());
        assertEquals(TightLoopScenario.class.getProtectionDomain().getCodeSource().getLocation(),
                mine.getProtectionDomain().getCodeSource().getLocation());
        assertSame(mine, loader.loadClass(TightLoopScenario.class.getName()), "defined once");
    }

    @Test
    void theRuntimeTheAgentAndTheJdkStayWithTheParent() throws Exception {
        assertSame(io.loomix.Process.class, loader.loadClass("io.loomix.Process"));
        assertSame(io.loomix.YieldPoint.class, loader.loadClass("io.loomix.YieldPoint"));
        assertSame(Class.forName("io.loomix.internal.Kernel"), loader.loadClass("io.loomix.internal.Kernel"));
        assertSame(YieldPointClassLoader.class, loader.loadClass(YieldPointClassLoader.class.getName()));
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertSame(java.lang.instrument.Instrumentation.class, loader.loadClass("java.lang.instrument.Instrumentation"));
    }

    @Test
    void aClassOnNoPathIsNotFound() {
        ClassNotFoundException e = assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.example.Nowhere"));
        assertTrue(e.getMessage().contains("com.example.Nowhere"), e.getMessage());
    }
}

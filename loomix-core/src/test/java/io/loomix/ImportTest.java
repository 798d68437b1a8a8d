package io.loomix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code Loomix} is {@code Process} under a name that {@code java.lang} does not hide. (This
 * test lives in the package, where {@code Process} already means ours; the wildcard case is in
 * WildcardImportTest outside it.)
 */
class ImportTest {
    @Test
    void loomixOffersTheSameMethods() {
        assertEquals("from a process", Loomix.run(() -> {
            assertEquals(Process.self(), Loomix.self());
            return "from a process";
        }));
    }
}

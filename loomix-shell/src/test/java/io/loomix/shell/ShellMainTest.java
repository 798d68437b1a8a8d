package io.loomix.shell;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell's command line. */
class ShellMainTest {
    @Test
    void autoclusterGoesWithANodeName() {
        var o = ShellMain.parse(new String[] {"--sname", "a", "--cookie", "c", "--autocluster"});
        assertEquals("a", o.name());
        assertTrue(o.autocluster());
        assertFalse(ShellMain.parse(new String[] {"--sname", "a"}).autocluster());
        var e = assertThrows(IllegalArgumentException.class, () -> ShellMain.parse(new String[] {"--autocluster"}));
        assertTrue(e.getMessage().contains("--sname"), e.getMessage());
    }
}

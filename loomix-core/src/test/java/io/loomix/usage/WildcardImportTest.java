package io.loomix.usage;

import io.loomix.*;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * User code that imports {@code io.loomix.*}: there {@code Process} is ambiguous with
 * {@code java.lang.Process} and would not compile; {@code Loomix} is not. That this file compiles
 * is half the test.
 */
class WildcardImportTest {
    @Test
    void theLoomixEntryPointCompilesUnderAWildcardImport() {
        Object reply = Loomix.run(() -> {
            Pid echo = Loomix.spawn(() -> {
                Pid from = (Pid) Loomix.receive();
                Loomix.send(from, "echo");
            });
            Loomix.send(echo, Loomix.self());
            return Loomix.receive();
        });
        assertEquals("echo", reply);
    }
}

package io.loomix.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSetupTest {
    @TempDir
    Path home;

    @Test
    void theOptionWins() {
        assertEquals("given", Cookie.resolve("given", home));
        assertTrue(Files.notExists(home.resolve(".erlang.cookie")), "no file is made when a cookie is given");
    }

    @Test
    void aMissingCookieFileIsCreatedReadOnlyForTheOwnerAndReused() throws Exception {
        String made = Cookie.fromFile(home.resolve(".erlang.cookie"));
        assertTrue(made.matches("[A-Z]{20}"), made);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ), Files.getPosixFilePermissions(home.resolve(".erlang.cookie")));
        assertEquals(made, Cookie.fromFile(home.resolve(".erlang.cookie")), "the second node reads the same cookie");
    }

    @Test
    void anExistingCookieFileIsReadAsErlReadsIt() throws Exception {
        Files.writeString(home.resolve(".erlang.cookie"), "SECRET\n");
        assertEquals("SECRET", Cookie.fromFile(home.resolve(".erlang.cookie")));
    }

    @Test
    void badCookiesAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> Cookie.resolve("", home));
        var e = assertThrows(IllegalArgumentException.class, () -> Cookie.resolve("\u4e2d", home));
        assertTrue(e.getMessage().contains("Latin-1"), e.getMessage());
    }

    @Test
    void theBusyLimitIsErlangsByDefaultAndATooSmallOneIsRefused() {
        assertEquals(1 << 20, NodeOptions.DEFAULT.busyLimit(), "dist_buf_busy_limit's default, 1 MiB");
        assertEquals(64 * 1024, NodeOptions.DEFAULT.withBusyLimit(64 * 1024).busyLimit());
        var e = assertThrows(IllegalArgumentException.class, () -> NodeOptions.DEFAULT.withBusyLimit(100));
        assertTrue(e.getMessage().contains("at least 1024 bytes"), e.getMessage());
    }

    @Test
    void namesAreCompletedWithTheHost() {
        String full = Node.fullName("a", false);
        assertTrue(full.startsWith("a@") && !full.substring(2).contains("."), full);
        assertEquals("a@example.org", Node.fullName("a@example.org", false));
        assertThrows(IllegalArgumentException.class, () -> Node.fullName("a@", false));
        assertThrows(IllegalArgumentException.class, () -> Node.fullName("@h", false));
        assertThrows(IllegalArgumentException.class, () -> Node.fullName("a@b@c", false));
    }

    @Test
    void theApiSaysWhenTheNodeIsNotStarted() {
        var e = assertThrows(IllegalStateException.class, () -> Node.ping("x@y"));
        assertTrue(e.getMessage().contains("Node.start"), e.getMessage());
    }
}

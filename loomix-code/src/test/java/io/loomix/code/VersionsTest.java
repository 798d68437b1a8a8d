package io.loomix.code;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The version table alone: Erlang's current/old rules, no processes, no class loaders. */
class VersionsTest {
    private final Versions<String> table = new Versions<>();

    @Test
    void theFirstLoadIsCurrentWithNoOld() {
        assertEquals(new Versions.Loaded<>("v1", null), table.load("m", "v1"));
        assertEquals("v1", table.current("m"));
        assertNull(table.old("m"));
    }

    @Test
    void aSecondLoadMakesTheFirstOld() {
        table.load("m", "v1");
        assertEquals(new Versions.Loaded<>("v2", "v1"), table.load("m", "v2"));
        assertEquals("v2", table.current("m"));
        assertEquals("v1", table.old("m"));
    }

    @Test
    void aThirdLoadAsksForThePurgeOfTheOldestAndChangesNothing() {
        table.load("m", "v1");
        table.load("m", "v2");
        assertEquals(new Versions.PurgeFirst<>("v1"), table.load("m", "v3"));
        assertEquals("v2", table.current("m"));
        assertEquals("v1", table.old("m"));
        assertEquals("v1", table.dropOld("m"));
        assertEquals(new Versions.Loaded<>("v3", "v2"), table.load("m", "v3"));
    }

    @Test
    void dropOldWithoutOldIsNull() {
        assertNull(table.dropOld("m"));
        table.load("m", "v1");
        assertNull(table.dropOld("m"));
        assertEquals("v1", table.current("m"));
    }

    @Test
    void deleteMakesCurrentOldAndIsRefusedWhileOldRemains() {
        assertFalse(table.delete("m"));
        table.load("m", "v1");
        assertTrue(table.delete("m"));
        assertNull(table.current("m"));
        assertEquals("v1", table.old("m"));
        assertEquals(List.of(), table.loaded());
        assertFalse(table.delete("m"), "nothing current");
        assertEquals(new Versions.PurgeFirst<>("v1"), table.load("m", "v2"), "as Erlang's not_purged");
        assertEquals("v1", table.dropOld("m"));
        assertEquals(new Versions.Loaded<>("v2", null), table.load("m", "v2"));
        table.load("m", "v3");
        assertFalse(table.delete("m"), "an old version is still loaded");
    }

    @Test
    void modulesAreIndependent() {
        table.load("a", "a1");
        table.load("a", "a2");
        assertEquals(new Versions.Loaded<>("b1", null), table.load("b", "b1"));
        assertEquals(List.of("a", "b"), table.loaded().stream().sorted().toList());
    }
}

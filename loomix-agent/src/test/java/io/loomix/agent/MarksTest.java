package io.loomix.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Marks}, the loaders' look at the bytes, must say what the class-file API says. */
class MarksTest {

    /** Names the mark in its constant pool (a string constant) without being marked. */
    static final class NamesTheMark {
        static final long BIG = 1_234_567_890_123L;
        static final double HALF = 0.5;

        static String mark(long x, double y) {
            return YieldPoints.MARK + (x + BIG) + (y * HALF);
        }
    }

    private static final List<Class<?>> CLASSES = List.of(NamesTheMark.class, MarksTest.class, YieldPoints.class,
            YieldPointClassLoader.class, LoomixAgent.class, Prerewrite.class, String.class, java.util.HashMap.class,
            java.util.concurrent.ConcurrentHashMap.class);

    @Test
    void agreesWithTheClassFileApiBeforeAndAfterRewriting() throws IOException {
        for (Class<?> c : CLASSES) {
            byte[] original = bytesOf(c);
            assertFalse(Marks.marked(original), c.getName());
            assertEquals(YieldPoints.rewritten(original), Marks.marked(original), c.getName());
            byte[] rewritten = YieldPoints.instrument(original, getClass().getClassLoader());
            assertNotNull(rewritten, c.getName());
            assertTrue(Marks.marked(rewritten), c.getName());
            assertTrue(YieldPoints.rewritten(rewritten), c.getName());
        }
    }

    @Test
    void theMarksNameInTheConstantPoolIsNotTheMark() throws IOException {
        byte[] original = bytesOf(NamesTheMark.class);
        assertTrue(new String(original, java.nio.charset.StandardCharsets.ISO_8859_1).contains(YieldPoints.MARK),
                "the class must name the mark for this test to mean anything");
        assertFalse(Marks.marked(original));
    }

    @Test
    void bytesThatAreNoClassFileAreNotMarked() throws IOException {
        byte[] rewritten = YieldPoints.instrument(bytesOf(NamesTheMark.class), getClass().getClassLoader());
        assertFalse(Marks.marked(new byte[0]));
        assertFalse(Marks.marked(new byte[] {(byte) 0xCA, (byte) 0xFE}));
        assertFalse(Marks.marked("not a class file at all".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // Cut short anywhere, even just before the mark: no exception, and no mark.
        for (int length = 0; length < rewritten.length; length++) {
            assertFalse(Marks.marked(Arrays.copyOf(rewritten, length)), "cut at " + length);
        }
    }

    @Test
    void theLoaderHookDefinesAMarkedClassAsItIs() throws IOException {
        byte[] once = YieldPoints.instrument(bytesOf(NamesTheMark.class), getClass().getClassLoader());
        // Under a name the agent does not exclude (io.loomix.agent is the runtime's).
        String name = "com/example/NamesTheMark";
        assertNull(LoomixAgent.rewrite(name, once, getClass().getClassLoader()));
        assertNotNull(LoomixAgent.rewrite(name, bytesOf(NamesTheMark.class), getClass().getClassLoader()));
    }

    private static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}

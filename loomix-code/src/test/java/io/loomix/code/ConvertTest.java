package io.loomix.code;

import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Code#convert}: a value of one version's records and enums rebuilt as the next version's. */
@Timeout(120)
@ExtendWith(ProcessExtension.class)
class ConvertTest {
    @TempDir
    Path dir;

    private final CodeServer code = new CodeServer(getClass().getClassLoader());

    /** Version 1 ({@code make} non-null) makes a Shape; later versions only declare the types. */
    private static String shapes(String point, String colours, String shape, String make) {
        return """
                public class Shapes {
                    public record Point(%s) {}
                    public enum Colour { %s }
                    public record Shape(%s) {}

                    public static Object make() {
                        return %s;
                    }
                }
                """.formatted(point, colours, shape, make);
    }

    private Object v1Shape() {
        Path file = Sources.write(dir, "Shapes.java", shapes("int x, int y", "RED, GREEN", "Point at, Colour colour, String name",
                "new Shape(new Point(1, 2), Colour.RED, \"s\")"));
        code.c(file);
        return code.mod("Shapes").call("make");
    }

    private Class<?> v2(String point, String colours, String shape) throws ClassNotFoundException {
        code.c(Sources.write(dir, "Shapes.java", shapes(point, colours, shape, "null")));
        return Class.forName("Shapes$Shape", true, code.currentClass("Shapes").orElseThrow().getClassLoader());
    }

    @Test
    void recordsAndEnumsAreRebuiltByNameNestedOnesTooAndNewComponentsStartEmpty() throws Exception {
        Object old = v1Shape();
        Class<?> shape = v2("int x, int y, int z", "RED, GREEN, BLUE", "Point at, Colour colour, String name, long id, String tag");
        Object now = Convert.to(old, shape);
        assertSame(shape, now.getClass());
        assertEquals("Shape[at=Point[x=1, y=2, z=0], colour=RED, name=s, id=0, tag=null]", now.toString());
        assertSame(shape.getRecordComponents()[0].getType(), shape.getRecordComponents()[0].getAccessor().invoke(now).getClass(),
                "the nested record is the new version's");
        assertSame(now, Convert.to(now, shape), "a value of the class asked for is itself");
    }

    @Test
    void aPreparedConversionGivesWhatAnUnpreparedOneGives() throws Exception {
        Object old = v1Shape();
        Class<?> shape = v2("int y, int x", "GREEN, RED", "String name, Point at, Colour colour");
        Convert.prepare(old.getClass(), shape);
        assertEquals("Shape[name=s, at=Point[y=2, x=1], colour=RED]", Convert.to(old, shape).toString(),
                "components matched by name, not position");
    }

    @Test
    void aConstantTheNewEnumLacksSaysWhichComponentAndConstant() throws Exception {
        Object old = v1Shape();
        Class<?> shape = v2("int x, int y", "GREEN, BLUE", "Point at, Colour colour, String name");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Convert.to(old, shape));
        assertTrue(e.getMessage().contains("component colour") && e.getMessage().contains("no constant RED"), e.getMessage());
    }

    @Test
    void aComponentWhoseTypeChangedIsRefusedWithAReason() throws Exception {
        Object old = v1Shape();
        Class<?> shape = v2("int x, int y", "RED, GREEN", "Point at, Colour colour, Integer name");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Convert.to(old, shape));
        assertTrue(e.getMessage().contains("name"), e.getMessage());
    }
}

package io.loomix.code;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
@ExtendWith(ProcessExtension.class)
class CodeServerTest {
    private static final Probe PROBE = Probe.withTimeout(Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private final CodeServer code = new CodeServer(getClass().getClassLoader());

    private String tick(Pid spin) {
        send(spin, self());
        return receive(Duration.ofSeconds(10), m -> m instanceof String s ? s : null, () -> "no answer");
    }

    private static ExitReason awaitDown(Ref ref) {
        return PROBE.expectDown(ref).reason();
    }

    @Test
    void cCompilesLoadsAndTheNextCallRunsTheNewVersion() {
        Path file = Sources.write(dir, "Greeter.java", Sources.greeter("hello"));
        List<Loaded> loaded = code.c(file);
        assertEquals(1, loaded.size());
        assertEquals("Greeter", loaded.get(0).module());
        assertEquals(1, loaded.get(0).vsn());
        Mod greeter = code.mod("Greeter");
        assertEquals("hello", greeter.call("hi"));
        assertEquals("hello, Joe", greeter.call("hi", "Joe"));
        assertEquals(42, greeter.call("twice", 21), "a boxed argument reaches an int parameter");

        Sources.write(dir, "Greeter.java", Sources.greeter("hej"));
        code.c(file);
        assertEquals("hej", greeter.call("hi"), "the same handle reaches the new version");
        Loaded which = code.which("Greeter").orElseThrow();
        assertEquals(2, which.vsn());
        assertTrue(which.hasOld());
        assertEquals(file.toAbsolutePath().toString(), which.origin());
        assertEquals(List.of("Greeter"), code.allLoaded().stream().map(Loaded::module).toList());
    }

    @Test
    void aCompileErrorIsReportedAsTheCompilerPrintsItAndLoadsNothing() {
        Path file = Sources.write(dir, "Greeter.java", Sources.greeter("hello"));
        code.c(file);
        Sources.write(dir, "Greeter.java", """
                public class Greeter {
                    public static String hi() { return "broken" }
                }
                """);
        CompileException e = assertThrows(CompileException.class, () -> code.c(file));
        assertTrue(e.getMessage().contains("Greeter.java:2: error: ';' expected"), e.getMessage());
        assertTrue(e.getMessage().contains("return \"broken\" }"), "the source line is shown: " + e.getMessage());
        assertEquals(1, code.which("Greeter").orElseThrow().vsn(), "nothing loaded");
        assertEquals("hello", code.mod("Greeter").call("hi"));
    }

    @Test
    void anUnknownFunctionOrModuleIsUndefWithWhatExists() {
        code.c(Sources.write(dir, "Greeter.java", Sources.greeter("hello")));
        UndefinedFunctionException e = assertThrows(UndefinedFunctionException.class,
                () -> code.mod("Greeter").call("bye"));
        assertTrue(e.getMessage().contains("Greeter.bye/0"), e.getMessage());
        assertTrue(e.getMessage().contains("hi/0, hi/1, twice/1"), e.getMessage());
        assertThrows(UndefinedFunctionException.class, () -> code.mod("Greeter").call("hi", 42),
                "hi(String) does not take an Integer");
        UndefinedFunctionException missing = assertThrows(UndefinedFunctionException.class,
                () -> code.mod("Nope").call("hi"));
        assertTrue(missing.getMessage().contains("Nope is not loaded"), missing.getMessage());
        assertTrue(code.which("Nope").isEmpty());
    }

    @Test
    void aProcessMovesAtItsNextFullyQualifiedCallAndALocalLoopStays() {
        Path file = Sources.write(dir, "Spin.java", Sources.spin("v1"));
        code.c(file);
        Mod spin = code.mod("Spin");
        Pid mover = spin.spawn("loop", 0);
        Pid stayer = spin.spawn("stay");
        assertEquals("v1:0", tick(mover));
        assertEquals("v1:stay", tick(stayer));

        Sources.write(dir, "Spin.java", Sources.spin("v2"));
        code.c(file);
        // The mover waits in v1's loop for its next message, then tail-calls into v2.
        assertEquals("v1:1", tick(mover));
        assertEquals("v2:2", tick(mover));
        assertEquals("v1:stay", tick(stayer), "a local call stays in its version");
        assertFalse(code.checkProcessCode(mover, "Spin"));
        assertTrue(code.checkProcessCode(stayer, "Spin"));

        Ref stayerDown = monitor(stayer);
        Ref moverDown = monitor(mover);
        Sources.write(dir, "Spin.java", Sources.spin("v3"));
        code.c(file);
        assertEquals(ExitReason.KILLED, awaitDown(stayerDown), "loading a third version kills what runs the first");
        assertEquals("v2:3", tick(mover));
        assertEquals("v3:4", tick(mover));
        send(mover, "stop");
        assertEquals(ExitReason.NORMAL, awaitDown(moverDown));
    }

    @Test
    void softPurgeRefusesWhileAProcessRunsTheOldCodeAndPurgeKillsIt() {
        Path file = Sources.write(dir, "Spin.java", Sources.spin("v1"));
        code.c(file);
        Pid stayer = code.mod("Spin").spawn("stay");
        assertEquals("v1:stay", tick(stayer));
        assertTrue(code.softPurge("Spin"), "no old version: nothing to do");
        Sources.write(dir, "Spin.java", Sources.spin("v2"));
        code.c(file);
        assertFalse(code.softPurge("Spin"));
        assertTrue(code.which("Spin").orElseThrow().hasOld());
        assertTrue(alive(stayer));
        Ref down = monitor(stayer);
        assertTrue(code.purge("Spin"), "a process was killed");
        assertEquals(ExitReason.KILLED, awaitDown(down));
        assertFalse(code.which("Spin").orElseThrow().hasOld());
        assertFalse(code.purge("Spin"), "nothing left to purge");
        assertTrue(code.softPurge("Spin"));
    }

    @Test
    void deleteMakesTheModuleUndefinedForNewCalls() {
        code.c(Sources.write(dir, "Greeter.java", Sources.greeter("hello")));
        assertTrue(code.delete("Greeter"));
        assertThrows(UndefinedFunctionException.class, () -> code.mod("Greeter").call("hi"));
        assertTrue(code.which("Greeter").isEmpty());
        assertFalse(code.delete("Greeter"));
        code.c(Sources.write(dir, "Greeter.java", Sources.greeter("back")));
        assertEquals("back", code.mod("Greeter").call("hi"));
        assertEquals(2, code.which("Greeter").orElseThrow().vsn());
    }

    @Test
    void aDirectoryCompilesToOneModulePerFileAndModulesSeeEachOther() {
        Path src = dir.resolve("src");
        Sources.write(src, "Greeter.java", Sources.greeter("hello"));
        Sources.write(src, "Caller.java", """
                public class Caller {
                    static class Helper { static String wrap(String s) { return "[" + s + "]"; } }
                    public static String call() { return Helper.wrap(Greeter.hi()); }
                }
                """);
        List<Loaded> loaded = code.c(src);
        assertEquals(List.of("Caller", "Greeter"), loaded.stream().map(Loaded::module).toList());
        assertEquals("[hello]", code.mod("Caller").call("call"));

        // Compiled alone later, a module still sees the loaded ones.
        Path later = Sources.write(dir.resolve("later"), "Later.java", """
                public class Later {
                    public static String call() { return Caller.call() + "!"; }
                }
                """);
        code.c(later);
        assertEquals("[hello]!", code.mod("Later").call("call"));
    }

    @Test
    void aModuleBinarySurvivesItsWireForm() {
        ModuleBinary b = code.compile(Sources.write(dir, "Greeter.java", Sources.greeter("hello"))).get(0);
        assertEquals(b, ModuleBinary.decode(b.encode()));
        byte[] wire = b.encode();
        wire[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> ModuleBinary.decode(wire));
        assertThrows(IllegalArgumentException.class, () -> ModuleBinary.decode(new byte[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> code.load(new ModuleBinary("Bad", "x",
                java.util.Map.of("Bad", new byte[] {1, 2, 3}))), "garbage bytecode is refused");
        assertTrue(code.which("Bad").isEmpty());
    }
}

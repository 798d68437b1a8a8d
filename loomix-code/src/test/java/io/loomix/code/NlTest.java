package io.loomix.code;

import io.loomix.Down;
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

/**
 * nl between two code servers in one JVM, standing for two nodes: the module travels in its wire
 * form and is loaded by the other server's loadBinary, as distribution will do between JVMs.
 */
@Timeout(120)
@ExtendWith(ProcessExtension.class)
class NlTest {
    private static final Probe PROBE = Probe.withTimeout(Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private final CodeServer a = new CodeServer(getClass().getClassLoader());
    private final CodeServer b = new CodeServer(getClass().getClassLoader());

    /** A BEAM node: nl must skip it and say why. */
    private static final Peer BEAM = new Peer() {
        @Override
        public String node() {
            return "iex@host";
        }

        @Override
        public boolean runsLoomix() {
            return false;
        }

        @Override
        public Loaded load(ModuleBinary module) {
            throw new AssertionError("nl sent Java bytecode to a BEAM node");
        }
    };

    /** A node that is gone. */
    private static final Peer DOWN = new Peer() {
        @Override
        public String node() {
            return "gone@host";
        }

        @Override
        public boolean runsLoomix() {
            return true;
        }

        @Override
        public Loaded load(ModuleBinary module) {
            throw new IllegalStateException("noconnection");
        }
    };

    @Test
    void nlLoadsTheCurrentVersionOnEveryLoomixNodeAndSkipsBeamNodes() {
        Path file = Sources.write(dir, "Spin.java", Sources.spin("v1"));
        a.c(file);
        List<NlResult> results = a.nl("Spin", List.of(Peer.inThisJvm("b@host", b), BEAM, DOWN));
        assertEquals(3, results.size());
        NlResult.Done done = assertInstanceOf(NlResult.Done.class, results.get(0));
        assertEquals("b@host", done.node());
        assertEquals(1, done.loaded().vsn());
        assertEquals(file.toAbsolutePath().toString(), done.loaded().origin());
        NlResult.Skipped skipped = assertInstanceOf(NlResult.Skipped.class, results.get(1));
        assertTrue(skipped.why().contains("not a Loomix node"), skipped.why());
        NlResult.Failed failed = assertInstanceOf(NlResult.Failed.class, results.get(2));
        assertEquals("noconnection", failed.why());

        // On "node b": a process of the module that arrived by nl, then a new version by nl.
        Pid onB = b.mod("Spin").spawn("loop", 0);
        Ref down = monitor(onB);
        assertEquals("v1:0", tick(onB));
        Sources.write(dir, "Spin.java", Sources.spin("v2"));
        a.c(file);
        a.nl("Spin", List.of(Peer.inThisJvm("b@host", b)));
        assertEquals(2, b.which("Spin").orElseThrow().vsn());
        assertEquals("v1:1", tick(onB));
        assertEquals("v2:2", tick(onB), "moved to the version nl brought");
        send(onB, "stop");
        PROBE.expectDown(down);

        assertNotSame(a.currentClass("Spin").orElseThrow(), b.currentClass("Spin").orElseThrow(),
                "each node has its own loaded copy");
    }

    @Test
    void nlOfAModuleNotLoadedHereSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.nl("Nope", List.of(Peer.inThisJvm("b@host", b))));
        assertTrue(e.getMessage().contains("Nope is not loaded"), e.getMessage());
    }

    @Test
    void aThirdVersionByNlKillsWhatRunsTheFirstOnTheReceivingNode() {
        Path file = Sources.write(dir, "Spin.java", Sources.spin("v1"));
        Peer toB = Peer.inThisJvm("b@host", b);
        a.c(file);
        a.nl("Spin", List.of(toB));
        Pid stayer = b.mod("Spin").spawn("stay");
        assertEquals("v1:stay", tick(stayer));
        Ref down = monitor(stayer);
        for (String v : List.of("v2", "v3")) {
            Sources.write(dir, "Spin.java", Sources.spin(v));
            a.c(file);
            a.nl("Spin", List.of(toB));
        }
        Down d = PROBE.expectDown(down);
        assertEquals(ExitReason.KILLED, d.reason());
    }

    private String tick(Pid spin) {
        send(spin, self());
        return receive(Duration.ofSeconds(10), m -> m instanceof String s ? s : null, () -> "no answer");
    }
}

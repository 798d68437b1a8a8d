package io.loomix.code;

import io.loomix.Process;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The nl server's protocol within one node: a peer for this node's own name reaches its
 * registered server through a {@code {Name, Node}} send, as another node's peer would; a node
 * with no server is not taken for a Loomix node. Between two JVMs: the shell's DistNlTest.
 */
@Timeout(120)
class NlServerTest {
    @TempDir
    Path dir;

    @Test
    void aPeerLoadsTheModuleThroughTheServerAndANodeWithoutOneIsSkipped() {
        Process.run(() -> {
            NlServer.start();
            assertEquals(NlServer.start(), Process.whereis(NlServer.NAME).orElseThrow(), "one server per node");
            Code.c(Sources.write(dir, "Greeter.java", Sources.greeter("hello")).toString());
            Peer self = NlServer.peer(Process.node().toString());
            assertTrue(self.runsLoomix());
            List<NlResult> results = Code.nl("Greeter", List.of(self, NlServer.peer("nowhere@nohost")));
            NlResult.Done done = assertInstanceOf(NlResult.Done.class, results.get(0), results.toString());
            assertEquals("Greeter", done.loaded().module());
            assertEquals(2, done.loaded().vsn(), "the same node loaded its own module a second time, by nl");
            assertEquals(2, Code.which("Greeter").orElseThrow().vsn());
            assertEquals("hello", Code.mod("Greeter").call("hi"));
            NlResult.Skipped skipped = assertInstanceOf(NlResult.Skipped.class, results.get(1), results.toString());
            assertEquals("nowhere@nohost", skipped.node());
        });
    }
}

package io.loomix.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The demo is the first thing users run: it must run to the end and show each step's outcome. */
class DemoTest {
    @Test
    void demoRunsEveryStep() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).runAll(10_000);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("received: pong from <0."), out);
        assertTrue(out.contains("urgent job first:  page the on-call"), out);
        assertTrue(out.contains("left in the mailbox: [a chat message]"), out);
        assertTrue(out.contains("receive after 50 ms: timeout"), out);
        assertTrue(out.contains("trapped: Exit("), out);
        assertTrue(out.contains("died too: \"bad input\""), out); // a string reason, printed as Erlang prints one
        assertTrue(out.contains(", killed)"), out);
        assertTrue(out.contains("monitoring it again gives: noproc"), out);
        assertTrue(out.contains("count = 3"), out);
        assertTrue(out.contains("handled 16 requests of 1 MB each: allocated 16 MB in all"), out);
        assertTrue(out.contains("a process hoarding memory: {limit_exceeded,max_heap_size,"), out);
        assertTrue(out.contains("the server is still alive: true"), out);
        assertTrue(out.contains("spawned 10,000 processes"), out);
        assertTrue(out.contains("sum 49,995,000"), out);
        assertTrue(out.trim().endsWith("== done =="), out);
    }

    /** {@code ./loomix demo cluster} in a JVM of its own (it starts two more), on a private epmd. */
    @Test
    void theClusterDemoRunsEveryStep() throws Exception {
        int epmdPort;
        try (var s = new java.net.ServerSocket(0)) {
            epmdPort = s.getLocalPort();
        }
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(javaBin, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED", "-cp", NodeCommandTest.classPath(),
                Main.class.getName(), "demo", "cluster").redirectErrorStream(true);
        builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort)); // the demo starts an embedded epmd there
        Process demo = builder.start();
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        try {
            String out = output.get(110, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(out.contains("found and connected: [node2@"), out);
            assertTrue(out.contains(":rpc.call(node2, Grepex, :search, [[\"elixir\"], self()]) = 1"), out);
            assertTrue(out.contains("lifespan.md: Linking connects one process to another"), out);
            assertTrue(out.contains("distribution.md: epmd -names lists the nodes of a host"), out);
            assertTrue(out.contains("nodedown: node3@"), out);
            assertTrue(out.trim().endsWith("== done =="), out);
        } finally {
            demo.destroyForcibly();
            demo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}

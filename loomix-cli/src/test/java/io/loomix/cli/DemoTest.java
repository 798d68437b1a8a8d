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
        assertTrue(out.contains("died too: bad input"), out); // a string reason stays a string (issue 13)
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
}

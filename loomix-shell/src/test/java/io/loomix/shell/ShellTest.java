package io.loomix.shell;

import io.loomix.code.CodeServer;
import io.loomix.code.Peer;
import io.loomix.Pid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/** The shell through its API: what each snippet gives, with the shell process and the code server behind. */
@Timeout(120)
class ShellTest {
    @TempDir
    Path dir;

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private Shell shell;

    private Shell shell() {
        if (shell == null) {
            shell = Shell.start(notices::add, Optional.empty());
        }
        return shell;
    }

    @AfterEach
    void close() {
        if (shell != null) {
            shell.close();
        }
    }

    private Outcome one(String snippet) {
        List<Outcome> out = shell().eval(snippet);
        assertEquals(1, out.size(), out.toString());
        return out.get(0);
    }

    private String value(String snippet) {
        Outcome o = one(snippet);
        if (o instanceof Outcome.Value(String name, String value)) {
            return value;
        }
        return fail("expected a value from " + snippet + ", got " + o);
    }

    private String greeter(String word) throws Exception {
        Path file = dir.resolve("Greeter.java");
        Files.writeString(file, """
                import java.util.List;
                public class Greeter {
                    public record Greeting(String text) {}
                    public static String hi() { return "%s"; }
                    public static String hi(String who) { return "%s, " + who; }
                    public static int twice(int n) { return 2 * n; }
                    public static List<String> words(String... ws) { return List.of(ws); }
                    public static Greeting greeting() { return new Greeting("%s"); }
                }
                """.formatted(word, word, word));
        return file.toString().replace("\\", "\\\\");
    }

    @Test
    void observerStartsTheNodesObserverWhichListsTheShellProcess() throws Exception {
        try {
            String uri = value("observer()");
            assertTrue(uri.matches("http://127\\.0\\.0\\.1:\\d+/"), uri);
            assertEquals(uri, value("observer()"), "a second observer() finds the one running");
            var http = java.net.http.HttpClient.newHttpClient();
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri + "api/processes"))
                    .timeout(java.time.Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"pid\":\"" + shell().pid() + "\""),
                    "the table lists the shell process " + shell().pid() + ": " + response.body());
        } finally {
            io.loomix.observer.Observer.running().ifPresent(io.loomix.observer.Observer::stop);
        }
    }

    @Test
    void theShellProcessIsTheSameFromOneSnippetToTheNextAndKeepsItsMailbox() {
        String pid = value("self()");
        assertEquals(pid, value("self()"));
        assertEquals(shell().pid().toString(), pid);
        assertEquals("\"hello\"", value("send(self(), \"hello\")"), "send returns the message");
        assertEquals("\"hello\"", value("receive(1000)"));
        assertEquals("null", value("receive(10)"));
    }

    @Test
    void severalStatementsInOneInputEachGiveAnOutcome() {
        List<Outcome> out = shell().eval("int x = 2; x * 21");
        assertEquals(2, out.size(), out.toString());
        assertEquals(new Outcome.Value("x", "2"), out.get(0));
        assertEquals("42", ((Outcome.Value) out.get(1)).value());
        assertEquals(new Outcome.Declared("method", "twice", false), one("int twice(int n) { return 2 * n; }"));
        assertEquals("8", value("twice(4)"));
    }

    @Test
    void aCompileErrorShowsTheMessageAndWhere() {
        Outcome o = one("int y = 1 +;");
        Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o);
        assertTrue(r.text().contains("error: illegal start of expression"), r.text());
        assertTrue(r.text().contains("int y = 1 +;"), r.text());
        assertTrue(r.text().contains("^"), r.text());
    }

    @Test
    void anExceptionIsReportedAndTheShellProcessLivesOn() {
        String pid = value("self()");
        Outcome.Threw t = assertInstanceOf(Outcome.Threw.class, one("Integer.parseInt(\"x\")"));
        assertTrue(t.text().startsWith("** exception java.lang.NumberFormatException"), t.text());
        assertEquals(pid, value("self()"));
    }

    @Test
    void anExitEndsTheShellProcessAndANewOneTakesOver() {
        String pid = value("self()");
        Outcome.Exited e = assertInstanceOf(Outcome.Exited.class, one("exit(self(), \"boom\")"));
        assertTrue(e.text().contains(pid) && e.text().contains("boom"), e.text());
        String next = value("self()");
        assertNotEquals(pid, next);
        assertTrue(notices.stream().anyMatch(n -> n.contains(pid) && n.contains(next)), notices.toString());
    }

    @Test
    void aLinkedProcessThatCrashesTakesTheShellProcessWithIt() {
        String pid = value("self()");
        List<Outcome> out = shell().eval("spawnLink(() -> { throw new IllegalStateException(\"bad\"); }); receive(5000)");
        // The crash reaches the shell process in the receive, or between the two snippets; either way
        // it is replaced, and the receive runs in the new process (an empty mailbox: null after 5 s).
        assertTrue(out.get(1) instanceof Outcome.Exited || out.get(1) instanceof Outcome.Value(String n, String v) && v.equals("null"),
                out.toString());
        assertNotEquals(pid, value("self()"));
        assertTrue(notices.stream().anyMatch(n -> n.contains(pid) && n.contains("bad")), notices.toString());
    }

    @Test
    void afterCTheModuleNameCallsTheCurrentVersionAndEarlierValuesStay() throws Exception {
        String file = greeter("hello");
        assertInstanceOf(Outcome.Value.class, one("c(\"" + file + "\")"));
        int vsn = Integer.parseInt(value("Code.which(\"Greeter\").orElseThrow().vsn()"));
        assertEquals("\"hello\"", value("Greeter.hi()"));
        assertEquals("\"hello, Joe\"", value("Greeter.hi(\"Joe\")"));
        assertEquals("42", value("Greeter.twice(21)"));
        assertEquals("[a, b]", value("Greeter.words(\"a\", \"b\")"));
        assertEquals("\"hello\"", value("String before = Greeter.hi()"));
        assertTrue(value("Greeter.greeting()").contains("Greeting[text=hello]"), "a module-private type comes back as Object");

        greeter("hej");
        one("c(\"" + file + "\")");
        assertEquals("\"hej\"", value("Greeter.hi()"), "the next call runs the new code");
        assertEquals("\"hello\"", value("before"), "what already ran keeps what it computed");
        assertEquals(String.valueOf(vsn + 1), value("Code.which(\"Greeter\").orElseThrow().vsn()"));
    }

    @Test
    void aCompileErrorInCLoadsNothingAndShowsTheCompilersReport() throws Exception {
        Path file = dir.resolve("Broken.java");
        Files.writeString(file, "public class Broken { int x = ; }\n");
        Outcome.Threw t = assertInstanceOf(Outcome.Threw.class, one("c(\"" + file.toString().replace("\\", "\\\\") + "\")"));
        assertTrue(t.text().contains("CompileException") && t.text().contains("Broken.java:1: error: illegal start of expression"),
                t.text());
        assertEquals("true", value("Code.which(\"Broken\").isEmpty()"));
    }

    @Test
    void ctrlCStopsALoopingSnippetAndKeepsTheShellProcess() throws Exception {
        String pid = value("self()");
        CompletableFuture<List<Outcome>> running = CompletableFuture.supplyAsync(
                () -> shell().eval("{ long n = 0; while (true) { n++; } }"));
        awaitBusy();
        shell().interrupt();
        assertEquals(List.of(new Outcome.Stopped()), running.get());
        assertEquals(pid, value("self()"), "stopped by JShell's stop check: same process");
    }

    @Test
    void ctrlCStopsASnippetWaitingInReceiveByReplacingTheShellProcess() throws Exception {
        String pid = value("self()");
        CompletableFuture<List<Outcome>> running = CompletableFuture.supplyAsync(() -> shell().eval("receive()"));
        while (!io.loomix.Process.stacktrace(shell().pid()).orElse(List.of()).stream()
                .anyMatch(f -> f.getClassName().equals(Helpers.class.getName()) && f.getMethodName().equals("receive"))) {
            Thread.sleep(5); // until the snippet waits in its receive (a stop before that is JShell's own)
        }
        shell().interrupt();
        assertEquals(List.of(new Outcome.Stopped()), running.get());
        assertNotEquals(pid, value("self()"));
    }

    private void awaitBusy() throws InterruptedException {
        while (!shell().busy()) {
            Thread.sleep(5); // polling a flag of another thread's eval; nothing to wait on
        }
    }

    @Test
    void withoutDistributionNodeFunctionsSaySoAndNlLoadsNowhere() {
        assertEquals("\"nonode@nohost\"", value("Node.self()"));
        assertEquals("[]", value("Node.list()"));
        Outcome.Threw t = assertInstanceOf(Outcome.Threw.class, one("Node.ping(\"b@host\")"));
        assertTrue(t.text().contains("not distributed"), t.text());
    }

    @Test
    void nlLoadsAModuleOnTheNodesTheDistributionHookGives() throws Exception {
        CodeServer other = new CodeServer(getClass().getClassLoader());
        Distribution fake = new Distribution() {
            public String start(String name, boolean longNames, String cookie) { return name; }
            public String node() { return "a@host"; }
            public boolean ping(String node) { return node.equals("b@host"); }
            public List<String> nodes() { return List.of("b@host"); }
            public Pid spawn(String node, String module, String function, List<Object> args) {
                throw new UnsupportedOperationException();
            }
            public List<Peer> peers() { return List.of(Peer.inThisJvm("b@host", other)); }
        };
        shell = Shell.start(notices::add, Optional.of(fake));
        String file = greeter("hello");
        one("c(\"" + file + "\")");
        assertTrue(value("nl(Greeter.class)").contains("Done[node=b@host"));
        assertEquals("hello", other.mod("Greeter").call("hi"));
        assertEquals("true", value("Node.ping(\"b@host\")"));
        assertEquals("[\"b@host\"]".replace("\"", ""), value("Node.list()"));
    }

    @Test
    void qAsksTheNodeToHalt() {
        assertFalse(shell().halted());
        one("q()");
        assertTrue(shell().halted());
    }
}

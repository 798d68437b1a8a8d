package io.loomix.shell;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shell on a real terminal: a tmux pane running the shell's main in its own JVM, typed into
 * with send-keys and read with capture-pane. tmux comes from Debian ({@code apt-get install tmux};
 * .ci/run installs it).
 */
@Timeout(300)
class TerminalTest {
    private static final String TMUX_SOCKET = "loomix-shell-test-" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @AfterEach
    void killServer() throws Exception {
        tmux("kill-server");
    }

    @Test
    void aSessionThroughATerminal() throws Exception {
        Path greeter = dir.resolve("Greeter.java");
        Files.writeString(greeter, "public class Greeter { public static String hi() { return \"hello\"; } }\n");
        Path history = dir.resolve("history");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("env", "LOOMIX_HISTORY=" + history, java,
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                // as ./loomix shell on a terminal: the first prompt before the line reader is ready, so
                // the first keys below are typed ahead and must reach the reader once it takes over
                "-D" + ShellMain.EARLY_PROMPT + "=true",
                "-cp", System.getProperty("java.class.path"), ShellMain.class.getName()));
        List<String> start = new ArrayList<>(List.of("new-session", "-d", "-s", "t", "-x", "150", "-y", "50"));
        start.add(String.join(" ", command.stream().map(TerminalTest::quote).toList()));
        assertEquals(0, tmux(start.toArray(String[]::new)));

        await(s -> s.contains("loomix(1)>"), "the first prompt");
        type("c(\"" + greeter + "\")");
        await(s -> s.contains("vsn=1"), "c() loading Greeter");
        type("Greeter.hi()");
        await(s -> s.contains("==> \"hello\""), "Greeter.hi() of version 1");

        Files.writeString(greeter, "public class Greeter { public static String hi() { return \"hej\"; } }\n");
        type("c(\"" + greeter + "\")");
        await(s -> s.contains("vsn=2"), "c() loading version 2");
        type("Greeter.hi()");
        await(s -> s.contains("==> \"hej\""), "Greeter.hi() of version 2");

        // Output of a process while the user is typing goes above the line being edited.
        type("Pid ticker = spawn(() -> { for (int i = 0; ; i++) { System.out.println(\"tick \" + i); Process.sleep(Duration.ofMillis(300)); } })");
        await(s -> s.contains("ticker ==> <") && s.contains("tick 1"), "the ticker");
        int before = lastTick(screen());
        keys("-l", "unfinished");
        await(s -> lastTick(s) >= before + 2 && lastLine(s).endsWith("unfinished"),
                "ticks printed above the prompt while the edited line stays below them");
        keys("C-u");
        type("exit(ticker, ExitReason.KILL)");

        // Multi-line input: an unfinished declaration continues on the next line.
        type("int add(int a,");
        type("        int b) { return a + b; }");
        await(s -> s.contains("created method add"), "a method typed over two lines");
        type("add(20, 22)");
        await(s -> s.contains("==> 42"), "the method");

        // Tab completion.
        keys("-l", "Greeter.h");
        keys("Tab");
        await(s -> lastLine(s).endsWith("Greeter.hi()"), "completion of Greeter.h");
        keys("C-u");

        // Ctrl-C stops a snippet waiting in receive; the node lives on.
        // The line printed first shows the snippet runs: the terminal is out of raw mode, so ^C is a signal.
        type("System.out.println(\"in the receive\"); receive()");
        await(s -> s.contains("\nin the receive"), "the receive running");
        keys("C-c");
        await(s -> s.contains("stopped (Ctrl-C)"), "Ctrl-C");
        type("1 + 1");
        await(s -> s.contains("==> 2"), "the node still answering");

        // Ctrl-D halts; the history is kept for the next session.
        keys("C-d");
        await(s -> s == null, "the shell exiting");
        String kept = Files.readString(history, StandardCharsets.UTF_8);
        assertTrue(kept.contains("Greeter.hi()") && kept.contains("add(20, 22)"), kept);
    }

    private static int lastTick(String screen) {
        int last = -1;
        for (String line : screen.split("\n")) {
            if (line.startsWith("tick ")) {
                last = Math.max(last, Integer.parseInt(line.substring(5).strip()));
            }
        }
        return last;
    }

    private static String lastLine(String screen) {
        String[] lines = screen.strip().split("\n");
        return lines[lines.length - 1].stripTrailing();
    }

    private void type(String line) throws Exception {
        keys("-l", line);
        keys("Enter");
    }

    private void keys(String... keys) throws Exception {
        String[] args = new String[keys.length + 3];
        args[0] = "send-keys";
        args[1] = "-t";
        args[2] = "t";
        System.arraycopy(keys, 0, args, 3, keys.length);
        tmux(args);
    }

    /** The pane's text, or null once the session is gone. */
    private String screen() throws Exception {
        java.lang.Process p = new ProcessBuilder("tmux", "-L", TMUX_SOCKET, "capture-pane", "-p", "-t", "t")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? out : null;
    }

    /** Polls the screen until {@code condition} holds; a terminal gives no other signal. */
    private void await(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String s = screen();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                fail("waited 120 s for " + what + "; the screen:\n" + s + "\nthe shell's threads:\n" + shellThreads());
            }
            Thread.sleep(100);
            s = screen();
        }
    }

    /**
     * The threads of the shell's JVM (the pane's process: env execs java), for a failure that
     * happens once in many runs: it says where the shell waits.
     */
    private static String shellThreads() {
        try {
            java.lang.Process pane = new ProcessBuilder("tmux", "-L", TMUX_SOCKET, "display", "-p", "-t", "t", "#{pane_pid}")
                    .redirectErrorStream(true).start();
            String pid = new String(pane.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            pane.waitFor();
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Path file = Files.createTempFile("loomix-shell-threads", ".txt");
            Files.delete(file); // the JVM writes it, and will not overwrite one
            java.lang.Process dump = new ProcessBuilder(jcmd.toString(), pid, "Thread.dump_to_file", "-format=text", file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            dump.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            String out = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no dump written)";
            Files.deleteIfExists(file);
            return out;
        } catch (Exception e) {
            return "(could not read them: " + e + ")";
        }
    }

    private static int tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", TMUX_SOCKET));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

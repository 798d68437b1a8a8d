package io.loomix.shell;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The interactive shell on a terminal: JLine line editing, history across sessions, tab
 * completion, multi-line input, output of processes printed above the prompt. Ctrl-C at the
 * prompt clears the line; Ctrl-C while a snippet runs stops the snippet; Ctrl-D (or {@code q()})
 * halts.
 */
final class Console {
    private Console() {}

    /** A terminal and its line reader, ready to read. */
    record Line(Terminal terminal, LineReader reader) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            terminal.close();
        }
    }

    /** The first line the shell prints; the prompt follows it. */
    static String banner() {
        return "Loomix shell on Java " + Runtime.version().feature() + "; help() for help, Ctrl-D or q() to quit";
    }

    static String prompt(int n) {
        return "loomix(" + n + ")> ";
    }

    /**
     * Builds the terminal and the line reader on a thread of their own, so that they get ready
     * while the node and the shell process start: the terminal alone takes a second or more on a
     * busy machine. {@code shell} is asked for only once the user completes or ends a line.
     */
    static CompletableFuture<Line> open(Path historyFile, Supplier<Shell> shell) {
        CompletableFuture<Line> line = new CompletableFuture<>();
        Thread.ofPlatform().name("loomix-shell-terminal").daemon().start(() -> {
            try {
                line.complete(build(historyFile, shell));
            } catch (Throwable t) {
                line.completeExceptionally(t);
            }
        });
        return line;
    }

    private static Line build(Path historyFile, Supplier<Shell> shell) throws IOException {
        Terminal terminal = TerminalBuilder.builder().name("loomix").system(true)
                // JNI first: it starts in a third of the time FFM takes (measured: about 1 s against 3 s).
                .providers("jni,ffm,exec").type(terminalType())
                // No probe of the terminal's grapheme support: on a busy machine its answer came
                // after the probe gave up and landed in the first input line ("^[[?1;2c").
                .graphemeCluster(false).build();
        SnippetParser parser = new SnippetParser(shell);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("loomix")
                .parser(parser)
                .completer(new SnippetCompleter(parser))
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P...> ")
                .variable(LineReader.INDENTATION, 4)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is Java's not, not history
                .option(LineReader.Option.INSERT_TAB, false)
                .build();
        return new Line(terminal, reader);
    }

    /**
     * Reads and evaluates lines until Ctrl-D or {@code q()}. {@code promptShown}: {@link ShellMain}
     * already printed the banner and the first prompt, as plain text, while the line reader was
     * being built; it is redrawn here by the reader, with whatever was typed meanwhile (the
     * terminal kept those keys).
     */
    static void run(Shell shell, String nodeName, Line line, boolean promptShown) throws IOException {
        try (line) {
            Terminal terminal = line.terminal();
            LineReader reader = line.reader();
            PrintStream out = System.out;
            PrintStream err = System.err;
            PrintStream above = new PrintStream(new AboveOutput(reader), true, StandardCharsets.UTF_8);
            System.setOut(above);
            System.setErr(above);
            terminal.handle(Terminal.Signal.INT, signal -> shell.interrupt());
            shell.warmUp(); // after the terminal: on a small machine the two would compete for the CPUs
            if (promptShown) {
                terminal.puts(InfoCmp.Capability.carriage_return);
                terminal.puts(InfoCmp.Capability.clr_eol);
                terminal.flush();
            } else {
                reader.printAbove(banner());
            }
            reader.printAbove("(node " + nodeName + ", shell process " + shell.pid() + ")");
            try {
                loop(shell, reader);
            } finally {
                System.setOut(out);
                System.setErr(err);
                reader.getHistory().save();
            }
        }
    }

    /**
     * TERM, except that tmux's own types become screen's: JLine ships screen's capabilities but not
     * tmux's, and for a type it does not ship it runs infocmp, which took seconds on a busy machine.
     */
    private static String terminalType() {
        String term = System.getenv("TERM");
        if (term == null) {
            return null;
        }
        return term.startsWith("tmux") ? term.replace("tmux", "screen") : term;
    }

    private static void loop(Shell shell, LineReader reader) {
        for (int n = 1; ; ) {
            String input;
            try {
                input = reader.readLine(prompt(n));
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return;
            }
            if (input.isBlank()) {
                continue;
            }
            n++;
            List<Outcome> outcomes = shell.eval(input);
            System.out.flush();
            for (Outcome o : outcomes) {
                String text = Outcome.render(o);
                if (!text.isEmpty()) {
                    reader.printAbove(text);
                }
            }
            if (shell.halted()) {
                return;
            }
        }
    }
}

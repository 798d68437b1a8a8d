package io.loomix.shell;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The interactive shell on a terminal: JLine line editing, history across sessions, tab
 * completion, multi-line input, output of processes printed above the prompt. Ctrl-C at the
 * prompt clears the line; Ctrl-C while a snippet runs stops the snippet; Ctrl-D (or {@code q()})
 * halts.
 */
final class Console {
    private Console() {}

    static void run(Shell shell, String nodeName, Path historyFile) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().name("loomix").system(true)
                // JNI first: it starts in a third of the time FFM takes (measured: about 1 s against 3 s).
                .providers("jni,ffm,exec").type(terminalType())
                // No probe of the terminal's grapheme support: on a busy machine its answer came
                // after the probe gave up and landed in the first input line ("^[[?1;2c").
                .graphemeCluster(false).build()) {
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
            PrintStream out = System.out;
            PrintStream err = System.err;
            PrintStream above = new PrintStream(new AboveOutput(reader), true, StandardCharsets.UTF_8);
            System.setOut(above);
            System.setErr(above);
            terminal.handle(Terminal.Signal.INT, signal -> shell.interrupt());
            shell.warmUp(); // after the terminal: on a small machine the two would compete for the CPUs
            try {
                loop(shell, reader, nodeName);
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

    private static void loop(Shell shell, LineReader reader, String nodeName) {
        reader.printAbove("Loomix shell on Java " + Runtime.version().feature()
                + " (node " + nodeName + ", shell process " + shell.pid() + "); help() for help, Ctrl-D or q() to quit");
        for (int n = 1; ; ) {
            String input;
            try {
                input = reader.readLine("loomix(" + n + ")> ");
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

package io.loomix.shell;

import jdk.jshell.SourceCodeAnalysis;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

import java.util.List;
import java.util.function.Supplier;

/**
 * JLine's view of Java input, from JShell's source analysis: Enter on an unfinished statement or
 * declaration continues on the next line (multi-line input); for completion, the word is what
 * JShell completes (from its anchor to the cursor).
 */
final class SnippetParser implements Parser {
    private final Supplier<Shell> shell;
    /** The suggestions of the last completion parse, for {@link SnippetCompleter}. */
    volatile List<SourceCodeAnalysis.Suggestion> suggestions = List.of();

    /** @param shell the shell, asked for when a line is completed or ended (it may still be starting when this is made) */
    SnippetParser(Supplier<Shell> shell) {
        this.shell = shell;
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE) {
            if (!line.isBlank() && incomplete(line)) {
                throw new EOFError(-1, cursor, "incomplete snippet");
            }
            return new Line(line, cursor, cursor, cursor);
        }
        if (context == ParseContext.COMPLETE) {
            int[] anchor = new int[1];
            suggestions = shell.get().analysis().completionSuggestions(line, cursor, anchor);
            return new Line(line, cursor, anchor[0], cursor);
        }
        return new Line(line, cursor, cursor, cursor);
    }

    private boolean incomplete(String input) {
        String rest = input;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = shell.get().analysis().analyzeCompletion(rest);
            switch (info.completeness()) {
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return true;
                }
                default -> {
                    if (info.remaining().equals(rest)) {
                        return false;
                    }
                    rest = info.remaining();
                }
            }
        }
        return false;
    }

    /** The whole input as one word (for accepting), or the part JShell completes. */
    private record Line(String line, int cursor, int wordStart, int wordEnd) implements CompletingParsedLine {
        @Override
        public String word() {
            return line.substring(wordStart, wordEnd);
        }

        @Override
        public int wordCursor() {
            return cursor - wordStart;
        }

        @Override
        public int wordIndex() {
            return 0;
        }

        @Override
        public List<String> words() {
            return List.of(word());
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return wordCursor();
        }

        @Override
        public int rawWordLength() {
            return wordEnd - wordStart;
        }
    }
}

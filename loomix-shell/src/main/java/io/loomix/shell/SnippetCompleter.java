package io.loomix.shell;

import jdk.jshell.SourceCodeAnalysis;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;

/** Tab completion: JShell's suggestions for the word {@link SnippetParser} found. */
final class SnippetCompleter implements Completer {
    private final SnippetParser parser;

    SnippetCompleter(SnippetParser parser) {
        this.parser = parser;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        for (SourceCodeAnalysis.Suggestion s : parser.suggestions) {
            String value = s.continuation();
            // Not "complete": JLine would add a space, where Java goes on with "(", "." or an argument.
            candidates.add(new Candidate(value, value, null, null, null, null, false));
        }
    }
}

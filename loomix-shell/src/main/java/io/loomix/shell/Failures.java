package io.loomix.shell;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

import java.util.stream.Collectors;

/** How the shell prints what went wrong: exceptions, exits, compile errors. */
final class Failures {
    private Failures() {}

    static Outcome of(JShellException e) {
        if (e instanceof EvalException ev) {
            if (ev.getExceptionClassName().equals(Evaluator.Died.class.getName())) {
                return new Outcome.Exited("** exit: " + ev.getMessage());
            }
            StringBuilder text = new StringBuilder("** exception " + ev.getExceptionClassName()
                    + (ev.getMessage() == null ? "" : ": " + ev.getMessage()));
            for (StackTraceElement f : ev.getStackTrace()) {
                if (f.getClassName().startsWith("io.loomix.shell.") || f.getClassName().startsWith("java.lang.reflect.")
                        || f.getClassName().startsWith("jdk.internal.reflect.")) {
                    break; // below here is the shell's own machinery
                }
                text.append(System.lineSeparator()).append("      at ").append(frame(f));
            }
            for (Throwable cause = ev.getCause(); cause instanceof EvalException c; cause = c.getCause()) {
                text.append(System.lineSeparator()).append("   caused by ").append(c.getExceptionClassName())
                        .append(c.getMessage() == null ? "" : ": " + c.getMessage());
            }
            return new Outcome.Threw(text.toString());
        }
        if (e instanceof UnresolvedReferenceException u) {
            return new Outcome.Threw("** " + u.getSnippet().name() + " cannot be used until what it refers to is declared");
        }
        return new Outcome.Threw("** " + e);
    }

    /** A snippet frame reads as JShell prints it: {@code (#3:1)}, or the class and method elsewhere. */
    private static String frame(StackTraceElement f) {
        return f.getFileName() != null && f.getFileName().startsWith("#")
                ? (f.getMethodName().isEmpty() ? "" : f.getMethodName() + " ") + "(" + f.getFileName() + ":" + f.getLineNumber() + ")"
                : f.toString();
    }

    /** Compiler messages, each with its source line and a caret under the spot, as javac prints them. */
    static String diagnostics(JShell js, Snippet s) {
        String source = s.source();
        return js.diagnostics(s).map(d -> one(d, source)).collect(Collectors.joining(System.lineSeparator()));
    }

    private static String one(Diag d, String source) {
        StringBuilder out = new StringBuilder(d.isError() ? "error: " : "warning: ").append(d.getMessage(null));
        long pos = d.getPosition();
        if (pos >= 0 && pos <= source.length()) {
            int start = source.lastIndexOf('\n', (int) Math.max(0, pos - 1)) + 1;
            if (pos == 0) {
                start = 0;
            }
            int end = source.indexOf('\n', (int) pos);
            String line = source.substring(start, end < 0 ? source.length() : end);
            out.append(System.lineSeparator()).append("  ").append(line)
                    .append(System.lineSeparator()).append("  ").append(" ".repeat((int) pos - start)).append('^');
        }
        return out.toString();
    }

    static String unresolved(JShell js, DeclarationSnippet d) {
        return d.name() + " is declared, but cannot be used until "
                + String.join(", ", js.unresolvedDependencies(d).toList()) + " is declared";
    }
}

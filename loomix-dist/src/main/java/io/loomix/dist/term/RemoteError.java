package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Tuple;

import java.util.List;
import java.util.Objects;

/**
 * A crash that happened on another node, carried as Erlang carries it: {@code {Error, Stacktrace}}.
 * It is the throwable of an {@link io.loomix.ExitReason.Crash} decoded from the wire; its message
 * is the error term, its stack trace the Erlang one ({@code module.function(file:line)}), and
 * {@link #term()} gives the reason back exactly as it came, so it travels on unchanged.
 */
public final class RemoteError extends RuntimeException {
    private final transient Object error;
    private final transient Object term;

    RemoteError(Object error, List<?> stack, Object term) {
        super(String.valueOf(error));
        this.error = Objects.requireNonNull(error);
        this.term = Objects.requireNonNull(term);
        setStackTrace(stack.stream().map(RemoteError::frame).toArray(StackTraceElement[]::new));
    }

    /** The error part of the reason, e.g. {@code badarith} or {@code {badmatch, 3}}. */
    public Object error() {
        return error;
    }

    /** The whole reason, {@code {Error, Stacktrace}}, as received. */
    public Object term() {
        return term;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the stack that matters is the remote one
    }

    /** {@code {Module, Function, ArityOrArgs, Location}} as a Java frame. */
    private static StackTraceElement frame(Object entry) {
        Tuple t = (Tuple) entry;
        String file = null;
        int line = -1;
        if (t.get(3) instanceof List<?> location) {
            for (Object item : location) {
                if (item instanceof Tuple kv && kv.size() == 2 && kv.get(0) instanceof Atom key) {
                    switch (key.name()) {
                        case "file" -> file = text(kv.get(1));
                        case "line" -> line = kv.get(1) instanceof Long l ? (int) (long) l : -1;
                        default -> {}
                    }
                }
            }
        }
        return new StackTraceElement(name(t.get(0)), name(t.get(1)), file, line);
    }

    private static String name(Object o) {
        return o instanceof Atom a ? a.name() : String.valueOf(o);
    }

    private static String text(Object o) {
        if (o instanceof List<?> l && Charlist.isCharlist(l)) {
            return Charlist.of(l).text();
        }
        return o instanceof String s ? s : String.valueOf(o);
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.ExitReason;
import io.loomix.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Exit reasons on the wire, as Erlang writes them.
 *
 * <table>
 * <tr><th>ExitReason</th><th>Erlang term</th></tr>
 * <tr><td>{@code NORMAL}, {@code SHUTDOWN}, {@code KILL}, {@code KILLED}, {@code NOPROC}, {@code NOCONNECTION}</td>
 *     <td>{@code normal}, {@code shutdown}, {@code kill}, {@code killed}, {@code noproc}, {@code noconnection}</td></tr>
 * <tr><td>{@code Shutdown(T)}</td><td>{@code {shutdown, T}}</td></tr>
 * <tr><td>{@code Crash(e)} of a Java exception</td>
 *     <td>{@code {{'java.lang.IllegalStateException', <<"message">>}, [{Class, method, 0, [{file, "F.java"}, {line, N}]}, ...]}}</td></tr>
 * <tr><td>{@code Crash(RemoteError)}</td><td>the {@code {Error, Stacktrace}} it came as</td></tr>
 * <tr><td>{@code Term(v)}</td><td>{@code v}</td></tr>
 * </table>
 */
public final class ExitReasons {
    /** Erlang keeps the 8 innermost frames of a stack by default ({@code backtrace_depth}). */
    private static final int STACK_DEPTH = 8;
    private static final Atom SHUTDOWN = Atom.of("shutdown");
    private static final Atom FILE = Atom.of("file");
    private static final Atom LINE = Atom.of("line");

    private ExitReasons() {}

    /** The term Erlang would see for {@code reason}. */
    public static Object toTerm(ExitReason reason) {
        return switch (reason) {
            case ExitReason.Named n -> n.atom();
            case ExitReason.Shutdown s -> Tuple.of(SHUTDOWN, s.detail());
            case ExitReason.Term t -> t.value();
            case ExitReason.Crash c when c.error() instanceof RemoteError r -> r.term();
            case ExitReason.Crash c -> crash(c.error());
        };
    }

    private static Object crash(Throwable e) {
        String cls = e.getClass().getName();
        Object error = Tuple.of(atomOf(cls), Binary.utf8(e.getMessage() == null ? "" : e.getMessage()));
        List<Object> stack = new ArrayList<>();
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < frames.length && i < STACK_DEPTH; i++) {
            StackTraceElement f = frames[i];
            List<Object> location = new ArrayList<>(2);
            if (f.getFileName() != null) {
                location.add(Tuple.of(FILE, new Charlist(f.getFileName())));
            }
            if (f.getLineNumber() >= 0) {
                location.add(Tuple.of(LINE, (long) f.getLineNumber()));
            }
            stack.add(Tuple.of(atomOf(f.getClassName()), atomOf(f.getMethodName()), 0L, List.copyOf(location)));
        }
        return Tuple.of(error, List.copyOf(stack));
    }

    /** Class and method names as atoms; an atom holds at most 255 characters, so keep the end. */
    private static Atom atomOf(String name) {
        return Atom.of(name.length() > Atom.MAX_LENGTH ? name.substring(name.length() - Atom.MAX_LENGTH) : name);
    }

    /**
     * The reason a decoded term stands for: the atoms above are the named reasons,
     * {@code {shutdown, T}} is {@link ExitReason.Shutdown}, an {@code {Error, Stacktrace}} (a non-empty list of
     * {@code {M, F, A, Location}}) is a {@link ExitReason.Crash} of a {@link RemoteError}, anything
     * else a {@link ExitReason.Term}.
     */
    public static ExitReason fromTerm(Object term) {
        switch (term) {
            case Atom a -> {
                return switch (a.name()) {
                    case "normal" -> ExitReason.NORMAL;
                    case "shutdown" -> ExitReason.SHUTDOWN;
                    case "kill" -> ExitReason.KILL;
                    case "killed" -> ExitReason.KILLED;
                    case "noproc" -> ExitReason.NOPROC;
                    case "noconnection" -> ExitReason.NOCONNECTION;
                    default -> new ExitReason.Term(a);
                };
            }
            case Tuple t when t.size() == 2 && t.get(0) == SHUTDOWN -> {
                return new ExitReason.Shutdown(t.get(1));
            }
            case Tuple t when t.size() == 2 && t.get(1) instanceof List<?> stack && !stack.isEmpty() && isStack(stack) -> {
                return new ExitReason.Crash(new RemoteError(t.get(0), stack, t));
            }
            default -> {
                return new ExitReason.Term(term);
            }
        }
    }

    private static boolean isStack(List<?> stack) {
        for (Object o : stack) {
            if (!(o instanceof Tuple f && f.size() == 4 && f.get(0) instanceof Atom && f.get(1) instanceof Atom
                    && (f.get(2) instanceof Long || f.get(2) instanceof List<?>) && f.get(3) instanceof List<?>)) {
                return false;
            }
        }
        return true;
    }
}

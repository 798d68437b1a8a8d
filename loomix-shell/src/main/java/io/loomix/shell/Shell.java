package io.loomix.shell;

import io.loomix.Pid;
import io.loomix.code.Code;
import io.loomix.code.Loaded;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The shell without its terminal: JShell with snippets run in the shell process ({@link Evaluator}),
 * the helpers imported, and module names that call the current version of a module loaded with
 * {@code c()} ({@link Facades}). The terminal side is {@link Console}; tests drive this directly.
 *
 * <p>JShell starts in the background ({@link #warmUp}), so the prompt shows before it is ready;
 * the first {@link #eval} waits for it.
 */
public final class Shell implements AutoCloseable {
    private static volatile Shell current;

    static final String IMPORTS = """
            import io.loomix.Process;
            import io.loomix.*;
            import io.loomix.otp.*;
            import io.loomix.code.*;
            import java.util.*;
            import java.util.function.*;
            import java.time.Duration;
            import static io.loomix.shell.Helpers.*;
            """;

    private final Evaluator evaluator;
    private final CompletableFuture<JShell> jshell;
    private final java.util.concurrent.atomic.AtomicBoolean warming = new java.util.concurrent.atomic.AtomicBoolean();
    private final Optional<Distribution> distribution;
    private final List<Loaded> pendingFacades = new ArrayList<>();
    private final Map<String, String> facadeModules = new ConcurrentHashMap<>();
    private volatile boolean halt;

    private Shell(Consumer<String> notices, Optional<Distribution> distribution) {
        this.distribution = distribution;
        this.evaluator = new Evaluator(notices);
        this.jshell = new CompletableFuture<>();
    }

    /**
     * Starts JShell in the background (once; the first {@link #eval} waits for it). The compiler's
     * start takes a second or more: the console shows its prompt first, then calls this.
     */
    void warmUp() {
        if (!warming.compareAndSet(false, true)) {
            return;
        }
        ClassLoader app = Shell.class.getClassLoader();
        Thread.ofPlatform().name("loomix-shell-init").daemon().start(() -> {
            try {
                JShell js = JShell.builder()
                        .executionEngine(new ShellControl.Provider(app, evaluator), Map.of())
                        .compilerOptions("--class-path", System.getProperty("java.class.path", ""))
                        .build();
                for (String line : IMPORTS.strip().split("\n")) {
                    js.eval(line);
                }
                js.eval("{ int warm = 1; }"); // warms the compiler and the engine up (a block: no $1 used up)
                jshell.complete(js);
            } catch (Throwable t) {
                jshell.completeExceptionally(t);
            }
        });
    }

    /**
     * Starts a shell on this node. {@code notices} receives what the shell says outside a snippet's
     * result (a shell process that exited and was replaced). Uses the {@link Distribution} found
     * by the service loader, if any.
     */
    public static Shell start(Consumer<String> notices) {
        return start(notices, ServiceLoader.load(Distribution.class).findFirst());
    }

    static Shell start(Consumer<String> notices, Optional<Distribution> distribution) {
        Shell s = new Shell(notices, distribution);
        current = s;
        return s;
    }

    static Shell current() {
        Shell s = current;
        if (s == null) {
            throw new IllegalStateException("no shell is running in this JVM");
        }
        return s;
    }

    /** The shell process. */
    public Pid pid() {
        return evaluator.pid();
    }

    JShell jshell() {
        warmUp();
        return jshell.join();
    }

    SourceCodeAnalysis analysis() {
        return jshell().sourceCodeAnalysis();
    }

    Optional<Distribution> distribution() {
        return distribution;
    }

    /**
     * Evaluates {@code input}: one or more complete snippets (statements, expressions,
     * declarations). Returns one outcome per snippet; stops at the first that is incomplete.
     */
    public List<Outcome> eval(String input) {
        JShell js = jshell();
        List<Outcome> out = new ArrayList<>();
        String rest = input;
        evaluator.interrupt = false;
        while (!rest.isBlank()) {
            if (evaluator.interrupt) {
                out.add(new Outcome.Stopped()); // Ctrl-C also drops what was left of the input
                break;
            }
            SourceCodeAnalysis.CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                out.add(new Outcome.Rejected("incomplete input: " + rest.strip()));
                break;
            }
            String source = info.source();
            rest = info.remaining();
            if (source == null || source.isBlank()) {
                continue;
            }
            out.add(evalOne(js, source));
            applyFacades(js, out);
        }
        return out;
    }

    private Outcome evalOne(JShell js, String source) {
        evaluator.stopped = false;
        List<SnippetEvent> events = js.eval(source);
        if (evaluator.stopped) {
            return new Outcome.Stopped();
        }
        Outcome result = new Outcome.Done();
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue; // an update of another snippet that depended on this one
            }
            result = outcome(js, e);
        }
        return result;
    }

    private Outcome outcome(JShell js, SnippetEvent e) {
        Snippet s = e.snippet();
        if (e.exception() != null) {
            return Failures.of(e.exception());
        }
        if (e.status() == Snippet.Status.REJECTED) {
            return new Outcome.Rejected(Failures.diagnostics(js, s));
        }
        if (e.value() != null && s instanceof VarSnippet v) {
            return new Outcome.Value(v.name(), e.value());
        }
        if (e.value() != null && s.kind() == Snippet.Kind.EXPRESSION) {
            return new Outcome.Value(((jdk.jshell.ExpressionSnippet) s).name(), e.value());
        }
        if (s instanceof DeclarationSnippet d && s.kind() != Snippet.Kind.VAR) {
            if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                return new Outcome.Rejected(Failures.unresolved(js, d));
            }
            return new Outcome.Declared(kind(s), d.name(), e.previousStatus() != Snippet.Status.NONEXISTENT);
        }
        return new Outcome.Done();
    }

    private static String kind(Snippet s) {
        return switch (s.subKind()) {
            case METHOD_SUBKIND -> "method";
            case INTERFACE_SUBKIND -> "interface";
            case ENUM_SUBKIND -> "enum";
            case RECORD_SUBKIND -> "record";
            case ANNOTATION_TYPE_SUBKIND -> "annotation";
            default -> "class";
        };
    }

    // ---- module names in snippets ----

    /** Called by {@code c()} in a snippet: after that snippet, each module's name calls its current version. */
    void declareFacades(List<Loaded> loaded) {
        synchronized (pendingFacades) {
            pendingFacades.addAll(loaded);
        }
    }

    private void applyFacades(JShell js, List<Outcome> out) {
        List<Loaded> todo;
        synchronized (pendingFacades) {
            todo = List.copyOf(pendingFacades);
            pendingFacades.clear();
        }
        for (Loaded l : todo) {
            Optional<Class<?>> main = Code.server().currentClass(l.module());
            if (main.isEmpty()) {
                continue;
            }
            Facades.Facade f = Facades.of(l.module(), main.get());
            for (SnippetEvent e : js.eval(f.source())) {
                if (e.causeSnippet() == null && e.status() == Snippet.Status.REJECTED) {
                    out.add(new Outcome.Rejected("the shell could not declare " + f.name() + " for module " + l.module()
                            + " (call it with Code.mod(\"" + l.module() + "\").call(...)):\n" + Failures.diagnostics(js, e.snippet())));
                }
            }
            facadeModules.put(f.name(), l.module());
        }
    }

    /** The module a class names: a facade's module, or the class's own top-level name. */
    String moduleOf(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null && !top.getEnclosingClass().getName().startsWith("REPL.")) {
            top = top.getEnclosingClass();
        }
        String module = facadeModules.get(top.getSimpleName());
        return module != null && top.getName().startsWith("REPL.") ? module : top.getName();
    }

    // ---- stopping and halting ----

    /** Ctrl-C: stops the running snippet, if any. */
    public void interrupt() {
        evaluator.interrupt = true;
        if (jshell.isDone() && !jshell.isCompletedExceptionally()) {
            jshell.join().stop();
        }
    }

    /** Whether a snippet is running. */
    boolean busy() {
        return evaluator.busy();
    }

    void requestHalt() {
        halt = true;
    }

    /** Whether a snippet called {@code q()}. */
    public boolean halted() {
        return halt;
    }

    @Override
    public void close() {
        evaluator.close();
        if (jshell.isDone() && !jshell.isCompletedExceptionally()) {
            jshell.join().close();
        }
        if (current == this) {
            current = null;
        }
    }
}

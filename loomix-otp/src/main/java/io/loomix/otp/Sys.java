package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;

import java.util.Objects;
import java.util.function.UnaryOperator;

import static io.loomix.Process.receive;

/**
 * Erlang's {@code sys}: system messages that every behaviour process understands, travelling apart
 * from its user messages. A suspended process handles only system messages until resumed; its
 * other messages wait in its mailbox, in order.
 *
 * {@snippet :
 * Sys.suspend(counter);
 * Sys.replaceState(counter, (Integer n) -> n * 10);
 * Sys.resume(counter);
 * int n = Sys.getState(counter);
 * }
 *
 * <p>{@link #getState} sends the state in a message: in strict mode
 * ({@code -Dloomix.strict=true}) that fails for a mutable state, as any mutable message does.
 */
public final class Sys {
    private Sys() {}

    static final Atom OK = Atom.of("ok");

    /** The system requests. */
    sealed interface Request {}

    record Suspend() implements Request {}

    record Resume() implements Request {}

    record GetState() implements Request {}

    record ReplaceState(UnaryOperator<Object> fn) implements Request {
        @Override
        public String toString() {
            return "{replace_state,#Function}";
        }
    }

    /**
     * {@code newCode} null: the same callback module migrates its own state. {@code convertState}
     * (null: none) runs on the state first; if it or codeChange throws, nothing changes.
     */
    record CodeChange(GenServer<?> newCode, Object oldVsn, Object extra, UnaryOperator<Object> convertState)
            implements Request {}

    record GetModule() implements Request {}

    /** A change to (or a question about) the process's debug options, handled by {@link Debug}. */
    record Debugging(DebugCommand command) implements Request {}

    /** OTP's {@code sys} debug commands. */
    sealed interface DebugCommand {
        record Trace(boolean on) implements DebugCommand {}

        /** {@code size} 0: logging off, its events dropped. */
        record Log(int size) implements DebugCommand {}

        record GetLog() implements DebugCommand {}

        record PrintLog() implements DebugCommand {}

        record Statistics(boolean on) implements DebugCommand {}

        record GetStatistics() implements DebugCommand {}

        /** {@code file} null: stop logging to a file. */
        record LogToFile(java.nio.file.Path file) implements DebugCommand {}

        record Install(DebugFunction<Object> fn, Object state) implements DebugCommand {
            @Override
            public String toString() {
                return "{install,{#Function," + state + "}}";
            }
        }

        record Remove(DebugFunction<Object> fn) implements DebugCommand {
            @Override
            public String toString() {
                return "{remove,#Function}";
            }
        }

        record NoDebug() implements DebugCommand {}
    }

    /**
     * A function installed in a process with {@link #install}: OTP's debug {@code Func}. The process
     * calls it with each event it records, its own state and the process's name (or pid), and
     * keeps what it returns as the function's next state. Returning null (OTP's {@code done})
     * removes it; so does throwing, and the process goes on unharmed. It runs inside the process,
     * between its messages: keep it short.
     */
    @FunctionalInterface
    public interface DebugFunction<F> {
        F apply(F state, SysEvent event, Object process);
    }

    /**
     * OTP's {@code sys:statistics(P, get)}: since statistics were turned on, how much work the
     * process did ({@code reductions}, as {@link io.loomix.ProcessInfo#reductions}), how many
     * messages it got (calls, casts, others; system messages not counted) and how many replies it
     * sent.
     */
    public record Statistics(java.time.Instant startTime, java.time.Instant currentTime, long reductions,
                             long messagesIn, long messagesOut) {}

    /** The answer when statistics are off: OTP's {@code no_statistics}. */
    static final Atom NO_STATISTICS = Atom.of("no_statistics");

    /** Stop with a reason: what {@link GenServer#stop} sends. Not answered: the caller watches the Down. */
    record Terminate(ExitReason reason) implements Request {}

    /** The answer to a request that failed, turned into an exception by the caller. */
    record Error(String what) {}

    /** What a behaviour process offers to system messages. */
    interface Target {
        /** The process that started it linked, whose exit stops it even when suspended; null if none. */
        io.loomix.Pid parent();

        Object systemState();

        void replaceSystemState(UnaryOperator<Object> fn);

        /**
         * Runs {@code codeChange} on {@code newCode} (or the current module if null), which then
         * handles what follows, with the state converted by {@code convertState} first (if not null).
         * Changes nothing if either throws.
         */
        void codeChange(GenServer<?> newCode, Object oldVsn, Object extra, UnaryOperator<Object> convertState);

        /** The class of the callback module: which code the process runs. */
        Class<?> callbackClass();

        /** Carries out a debug command ({@code sys:trace}, {@code sys:log}, ...) and returns its answer. */
        Object debug(DebugCommand command);

        /** Runs the behaviour's terminate and exits with {@code reason}; never returns. */
        RuntimeException systemTerminate(ExitReason reason);
    }

    // ---- the client side ----

    /** Suspends the process: it then handles only system messages. */
    public static void suspend(Object server) {
        request(server, new Suspend(), "Sys.suspend");
    }

    /** Resumes a suspended process. */
    public static void resume(Object server) {
        request(server, new Resume(), "Sys.resume");
    }

    /** The process's state (a GenServer's {@code S}). Needs an immutable state in strict mode. */
    @SuppressWarnings("unchecked")
    public static <S> S getState(Object server) {
        return (S) request(server, new GetState(), "Sys.getState");
    }

    /**
     * Replaces the process's state with {@code fn(state)} and returns the new state. If {@code fn}
     * throws, the state is unchanged and this throws {@link IllegalStateException}.
     */
    @SuppressWarnings("unchecked")
    public static <S> S replaceState(Object server, UnaryOperator<S> fn) {
        Objects.requireNonNull(fn, "replaceState: function must not be null");
        return (S) request(server, new ReplaceState(s -> fn.apply((S) s)), "Sys.replaceState");
    }

    /**
     * Asks a suspended process to migrate its state from {@code oldVsn} (a GenServer's
     * {@code codeChange} callback); resume it afterwards.
     *
     * @throws IllegalStateException if the process is not suspended, or its codeChange failed
     */
    public static void codeChange(Object server, Object oldVsn, Object extra) {
        request(server, new CodeChange(null, Objects.requireNonNull(oldVsn, "oldVsn"), Objects.requireNonNull(extra, "extra"),
                null), "Sys.codeChange");
    }

    /**
     * Turns tracing on or off, OTP's {@code sys:trace}: the process logs each message it gets and
     * each reply it sends, with its new state, to the {@link System.Logger} {@code io.loomix.otp.Sys}
     * ({@code *DBG* <0.81.0> got call Get[] from {<0.80.0>,#Ref<...>}}). Also a start option:
     * {@link StartOptions#withTrace}.
     */
    public static void trace(Object server, boolean on) {
        debug(server, new DebugCommand.Trace(on), "Sys.trace");
    }

    /**
     * OTP's {@code sys:log(P, true | false)}: keeps the last {@value DebugOptions#DEFAULT_LOG_SIZE}
     * events the process records (each message it gets, each reply, each new state), or stops
     * and drops them. A log already on keeps its size and its events, as in OTP.
     */
    public static void log(Object server, boolean on) {
        debug(server, new DebugCommand.Log(on ? DebugOptions.DEFAULT_LOG_SIZE : 0), "Sys.log");
    }

    /** OTP's {@code sys:log(P, {true, N})}: keeps the last {@code events} events (a log already on is left as it is). */
    public static void log(Object server, int events) {
        if (events <= 0) {
            throw new IllegalArgumentException("Sys.log keeps a positive number of events, was " + events
                    + "; use Sys.log(server, false) to stop logging");
        }
        debug(server, new DebugCommand.Log(events), "Sys.log");
    }

    /** OTP's {@code sys:log(P, get)}: the logged events, oldest first (empty when not logging). */
    @SuppressWarnings("unchecked")
    public static java.util.List<SysEvent> getLog(Object server) {
        return (java.util.List<SysEvent>) debug(server, new DebugCommand.GetLog(), "Sys.getLog");
    }

    /**
     * OTP's {@code sys:log(P, print)}: the process writes its logged events, one {@code *DBG*} line
     * each, to the {@link System.Logger} {@code io.loomix.otp.Sys} (where trace lines go).
     */
    public static void printLog(Object server) {
        debug(server, new DebugCommand.PrintLog(), "Sys.printLog");
    }

    /**
     * OTP's {@code sys:statistics(P, true | false)}: starts counting (a count already running goes
     * on) or stops and drops the counts.
     */
    public static void statistics(Object server, boolean on) {
        debug(server, new DebugCommand.Statistics(on), "Sys.statistics");
    }

    /** OTP's {@code sys:statistics(P, get)}: empty when statistics are off ({@code no_statistics}). */
    public static java.util.Optional<Statistics> getStatistics(Object server) {
        return debug(server, new DebugCommand.GetStatistics(), "Sys.getStatistics") instanceof Statistics s
                ? java.util.Optional.of(s) : java.util.Optional.empty();
    }

    /**
     * OTP's {@code sys:log_to_file(P, File)}: the process writes each event's {@code *DBG*} line to
     * {@code file} (emptied first), until {@link #stopLogToFile} or its exit closes it.
     *
     * @throws IllegalStateException if the process cannot open the file (OTP's {@code {error, open_file}})
     */
    public static void logToFile(Object server, java.nio.file.Path file) {
        Objects.requireNonNull(file, "logToFile: file must not be null; Sys.stopLogToFile stops logging to a file");
        debug(server, new DebugCommand.LogToFile(file), "Sys.logToFile");
    }

    /** OTP's {@code sys:log_to_file(P, false)}: closes the log file. */
    public static void stopLogToFile(Object server) {
        debug(server, new DebugCommand.LogToFile(null), "Sys.stopLogToFile");
    }

    /**
     * OTP's {@code sys:install(P, {Func, FuncState})}: the process calls {@code fn} with each event
     * it records from now on. Installing a function already installed (the same object) does
     * nothing. In strict mode the function travels in a message: a lambda capturing mutable
     * state is rejected, keep such state in the function's own state.
     */
    @SuppressWarnings("unchecked")
    public static <F> void install(Object server, DebugFunction<F> fn, F state) {
        Objects.requireNonNull(fn, "install: function must not be null");
        Objects.requireNonNull(state, "install: state must not be null (null is how a function says it is done)");
        debug(server, new DebugCommand.Install((DebugFunction<Object>) fn, state), "Sys.install");
    }

    /** OTP's {@code sys:remove(P, Func)}: uninstalls {@code fn} (the same object given to {@link #install}). */
    @SuppressWarnings("unchecked")
    public static void remove(Object server, DebugFunction<?> fn) {
        Objects.requireNonNull(fn, "remove: function must not be null");
        debug(server, new DebugCommand.Remove((DebugFunction<Object>) fn), "Sys.remove");
    }

    /** OTP's {@code sys:no_debug}: turns every debug option off, drops the log and closes the log file. */
    public static void noDebug(Object server) {
        debug(server, new DebugCommand.NoDebug(), "Sys.noDebug");
    }

    private static Object debug(Object server, DebugCommand command, String function) {
        return request(server, new Debugging(command), function);
    }

    /**
     * Erlang's {@code sys:change_code(Server, Module, OldVsn, Extra)} after a new version of the
     * module was loaded: the suspended server runs {@code newCode.codeChange(oldVsn, state, extra)}
     * and, once resumed, handles its messages with {@code newCode}'s callbacks. {@code newCode} is
     * usually an instance of the new version of the server's class (a code server makes it); the
     * state object itself is handed over as it is, so a state whose class came with the old code
     * must be converted by {@code codeChange}.
     *
     * @throws IllegalStateException if the process is not suspended, or codeChange failed (the
     *                               server then keeps its old module and state)
     */
    public static void codeChange(Object server, GenServer<?> newCode, Object oldVsn, Object extra) {
        Objects.requireNonNull(newCode, "codeChange: newCode must not be null (an instance of the new version)");
        request(server, new CodeChange(newCode, Objects.requireNonNull(oldVsn, "oldVsn"),
                Objects.requireNonNull(extra, "extra"), null), "Sys.codeChange");
    }

    /**
     * One server to move with {@link #changeCode(java.util.List)}: {@code newCode}, {@code oldVsn}
     * and {@code extra} as for {@link #codeChange(Object, GenServer, Object, Object)};
     * {@code convertState} (null: none) rebuilds the state before codeChange sees it, inside the
     * suspended server (for a state whose class came with the old code).
     */
    public record Change(io.loomix.Pid server, GenServer<?> newCode, Object oldVsn, Object extra,
                         UnaryOperator<Object> convertState) {
        public Change {
            Objects.requireNonNull(server, "Change: server must not be null");
            Objects.requireNonNull(newCode, "Change: newCode must not be null (an instance of the new version)");
            Objects.requireNonNull(oldVsn, "Change: oldVsn must not be null");
            Objects.requireNonNull(extra, "Change: extra must not be null (Erlang passes [] when there is none)");
        }
    }

    /** What {@link #changeCode(java.util.List)} did with one server. */
    public sealed interface Changed {
        io.loomix.Pid server();

        /** It runs {@code newCode}, with the state codeChange returned. */
        record Moved(io.loomix.Pid server) implements Changed {}

        /** It keeps its old code and state (codeChange threw, or it did not answer, or exited): {@code why}. */
        record Stayed(io.loomix.Pid server, String why) implements Changed {}
    }

    /**
     * Moves several servers to new code at once, as a release handler does with suspend, change_code
     * and resume, while keeping each one's pause short: the suspend requests go out together and
     * are all answered before any server changes code (so no moved server meets one that still runs
     * the old code and is not suspended); then each gets its code change and its resume back to
     * back, so it handles the two without waiting for this process in between. A server that does
     * not answer its suspend within {@code timeout} is sent a resume, so that it is not left
     * suspended when it gets to the suspend later, and stays: it is sent no code change.
     *
     * @return one {@link Changed} per change, in order
     */
    public static java.util.List<Changed> changeCode(java.util.List<Change> changes, java.time.Duration timeout) {
        return CodeChanges.run(changes, timeout);
    }

    /**
     * The live GenServers whose callback class was defined by {@code loader}: the servers that run
     * one loaded version of a module, found without asking every process. Tracked only for class
     * loaders other than the application's and the JDK's (a code server loads each version of a
     * module into a loader of its own); for those this is empty.
     */
    public static java.util.List<io.loomix.Pid> serversRunning(ClassLoader loader) {
        return ServerIndex.of(Objects.requireNonNull(loader, "serversRunning: loader must not be null"));
    }

    /** The class of the process's callback module (a GenServer's class): the code it runs. */
    public static Class<?> module(Object server) {
        return (Class<?>) request(server, new GetModule(), "Sys.module");
    }

    private static Object request(Object server, Request request, String function) {
        Object answer = Gen.systemCall(server, request, GenServer.DEFAULT_TIMEOUT, function);
        if (answer instanceof Error(String what)) {
            throw new IllegalStateException(function + " failed: " + what);
        }
        return answer;
    }

    // ---- the process side ----

    /** Handles one system message; while suspended, keeps handling them until resumed. */
    static void handle(Gen.SystemMessage message, Target target) {
        if (handleOne(message, target, false)) {
            for (;;) {
                Object next = receive(m -> switch (m) {
                    case Gen.SystemMessage s -> s;
                    case io.loomix.Exit e when e.from().equals(target.parent()) -> e;
                    default -> null;
                });
                if (next instanceof io.loomix.Exit e) {
                    throw target.systemTerminate(e.reason());
                }
                if (!handleOne((Gen.SystemMessage) next, target, true)) {
                    return;
                }
            }
        }
    }

    /** Returns whether the process is suspended afterwards. */
    private static boolean handleOne(Gen.SystemMessage message, Target target, boolean suspended) {
        From from = message.from();
        switch (message.request()) {
            case Suspend s -> {
                Gen.reply(from, OK);
                return true;
            }
            case Resume r -> {
                Gen.reply(from, OK);
                return false;
            }
            case GetState g -> Gen.reply(from, target.systemState());
            case ReplaceState(UnaryOperator<Object> fn) -> {
                try {
                    target.replaceSystemState(fn);
                    Gen.reply(from, target.systemState());
                } catch (RuntimeException e) {
                    Gen.reply(from, new Error("the function threw " + e + "; the state is unchanged"));
                }
            }
            case GetModule g -> Gen.reply(from, target.callbackClass());
            case CodeChange(GenServer<?> newCode, Object oldVsn, Object extra, UnaryOperator<Object> convert) -> {
                if (!suspended) {
                    Gen.reply(from, new Error("the process is running; suspend it first (Sys.suspend)"));
                } else {
                    try {
                        target.codeChange(newCode, oldVsn, extra, convert);
                        Gen.reply(from, OK);
                    } catch (RuntimeException e) {
                        Gen.reply(from, new Error("codeChange threw " + e + "; the state is unchanged"));
                    }
                }
            }
            case Debugging(DebugCommand command) -> Gen.reply(from, target.debug(command));
            case Terminate(ExitReason reason) -> throw target.systemTerminate(reason);
        }
        return suspended;
    }
}

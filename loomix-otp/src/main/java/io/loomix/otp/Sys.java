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

    /** {@code newCode} null: the same callback module migrates its own state. */
    record CodeChange(GenServer<?> newCode, Object oldVsn, Object extra) implements Request {}

    record GetModule() implements Request {}

    record Trace(boolean on) implements Request {}

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

        /** Runs {@code codeChange} on {@code newCode} (or the current module if null), which then handles what follows. */
        void codeChange(GenServer<?> newCode, Object oldVsn, Object extra);

        /** The class of the callback module: which code the process runs. */
        Class<?> callbackClass();

        /** Turns the printing of system events on or off (OTP's {@code sys:trace}). */
        void trace(boolean on);

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
        request(server, new CodeChange(null, Objects.requireNonNull(oldVsn, "oldVsn"), Objects.requireNonNull(extra, "extra")),
                "Sys.codeChange");
    }

    /**
     * Turns tracing on or off, OTP's {@code sys:trace}: the process logs each message it gets and
     * each reply it sends, with its new state, to the {@link System.Logger} {@code io.loomix.otp.Sys}
     * ({@code *DBG* <0.81.0> got call Get[] from {<0.80.0>,#Ref<...>}}). Also a start option:
     * {@link StartOptions#withTrace}.
     */
    public static void trace(Object server, boolean on) {
        request(server, new Trace(on), "Sys.trace");
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
                Objects.requireNonNull(extra, "extra")), "Sys.codeChange");
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
            case CodeChange(GenServer<?> newCode, Object oldVsn, Object extra) -> {
                if (!suspended) {
                    Gen.reply(from, new Error("the process is running; suspend it first (Sys.suspend)"));
                } else {
                    try {
                        target.codeChange(newCode, oldVsn, extra);
                        Gen.reply(from, OK);
                    } catch (RuntimeException e) {
                        Gen.reply(from, new Error("codeChange threw " + e + "; the state is unchanged"));
                    }
                }
            }
            case Trace(boolean on) -> {
                target.trace(on);
                Gen.reply(from, OK);
            }
            case Terminate(ExitReason reason) -> throw target.systemTerminate(reason);
        }
        return suspended;
    }
}

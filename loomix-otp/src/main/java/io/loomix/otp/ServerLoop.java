package io.loomix.otp;

import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static io.loomix.Process.*;

/**
 * The process behind a {@link GenServer}: registers its name, runs init and acks its starter, then
 * loops over messages, dispatching calls, casts, system messages and the rest to the callbacks.
 * A callback that throws (or exits) stops the server: terminate runs, and a crash report is logged
 * unless the reason is normal.
 */
final class ServerLoop<S> implements Sys.Target {
    private static final System.Logger LOG = System.getLogger("io.loomix.otp.GenServer");
    private static final int STATE_REPORT_LIMIT = 2_000;

    private GenServer<S> mod; // replaced by a code change to a new version of the module
    private final Object name;
    private final Pid parent;
    private S state;
    private Object last;
    /** Null until a debug option is set: most servers never have one, and an idle server is worth its bytes. */
    private Debug debug;
    /** Set just before hibernating, which unwinds the stack (through enter's finally) of a server that lives on. */
    private boolean hibernating;

    @SuppressWarnings("unchecked")
    private ServerLoop(GenServer<S> mod, Object name, Pid parent, DebugOptions debug) {
        this.mod = mod;
        this.name = name;
        this.parent = parent;
        this.debug = debug.equals(DebugOptions.NONE) ? null : newDebug(debug);
    }

    @SuppressWarnings("unchecked")
    private Debug newDebug(DebugOptions options) {
        return new Debug(options, s -> this.mod.formatState((S) s));
    }

    static <S> ProcLib.Spawned start(GenServer<S> mod, StartOptions options, ProcLib.Tie tie) {
        Object name = options.name();
        if (name != null) {
            Gen.checkName(name); // a malformed name fails here, in the caller, not in the new process
        }
        Pid parent = tie == ProcLib.Tie.LINK ? self() : null;
        return ProcLib.start(acker -> new ServerLoop<>(mod, name, parent, options.debug()).enter(acker), tie, options.spawn(),
                options.timeout());
    }

    private void enter(ProcLib.Acker acker) {
        try {
            initAndLoop(acker);
        } finally {
            ended();
        }
    }

    /**
     * However the process ends, a kill included (the kill is thrown through the finally that calls
     * this), unless the stack only unwound for hibernation: the server then goes on in {@link #awake}.
     */
    private void ended() {
        if (hibernating) {
            return;
        }
        ServerIndex.remove(mod.getClass(), self());
        if (debug != null) {
            debug.closeFile();
        }
    }

    private void initAndLoop(ProcLib.Acker acker) {
        if (name != null) {
            Optional<Pid> holder = Gen.register(name);
            if (holder.isPresent()) {
                acker.ack(new ProcLib.Failed(ExitReason.of(new StartException.AlreadyStarted(holder.get()))));
                throw exit(ExitReason.NORMAL);
            }
        }
        Init<S> init;
        try {
            init = mod.init();
        } catch (Throwable t) {
            if (ProcLib.isKilled(t)) {
                throw t;
            }
            ExitReason reason = ProcLib.reasonOf(t);
            Gen.unregister(name);
            report("init", reason, t);
            acker.ack(new ProcLib.Failed(reason));
            throw exit(reason);
        }
        if (init == null) {
            ExitReason reason = ExitReason.of(new BadReturnValue("init", null));
            Gen.unregister(name);
            report("init", reason, null);
            acker.ack(new ProcLib.Failed(reason));
            throw exit(reason);
        }
        switch (init) {
            case Init.Ok<S>(S first, Next next) -> {
                state = first;
                ServerIndex.add(mod.getClass(), self()); // before the ack: whoever started it can find it at once
                acker.ack(new ProcLib.Started());
                loop(next);
            }
            case Init.Ignore<S> i -> {
                Gen.unregister(name);
                acker.ack(new ProcLib.Failed(StartException.IGNORE));
                throw exit(ExitReason.NORMAL);
            }
            case Init.Stop<S>(ExitReason reason) -> {
                Gen.unregister(name);
                acker.ack(new ProcLib.Failed(reason));
                throw exit(reason);
            }
        }
    }

    private void loop(Next next) {
        for (;;) {
            Object message = switch (next) {
                case Next.None n -> receive();
                case Next.Timeout(Duration after) -> receive(after, m -> m, () -> GenServer.TIMEOUT);
                case Next.Continue(Object arg) -> {
                    last = arg;
                    next = result("handleContinue", () -> mod.handleContinue(arg, state));
                    yield null;
                }
                // The stack below here is only enter's frames, which a resumed server needs no more.
                case Next.Hibernate h -> {
                    last = null; // the last message need not outlive the stack
                    hibernating = true;
                    throw hibernate(this::awake);
                }
            };
            if (message != null) {
                next = dispatch(message, next);
            }
        }
    }

    /**
     * A hibernated server's first code on its new thread. The message is dispatched as one that
     * came while hibernating, so a system message (which keeps the current Next) leaves the server
     * hibernating again, as OTP's does.
     */
    private void awake() {
        hibernating = false;
        try {
            loop(dispatch(receive(), Next.HIBERNATE));
        } finally {
            ended();
        }
    }

    private Next dispatch(Object message, Next current) {
        last = message;
        if (debug != null && debug.on() && !(message instanceof Gen.SystemMessage) && !(message instanceof Exit e && e.from().equals(parent))) {
            debug.event(switch (message) {
                case Gen.Call(From from, Object request) -> new SysEvent.Call(request, from);
                case Gen.Cast(Object request) -> new SysEvent.Cast(request);
                default -> new SysEvent.Info(message);
            }, who());
        }
        switch (message) {
            case Gen.Call(From from, Object request) -> {
                CallResult<S> r;
                try {
                    r = mod.handleCall(request, from, state);
                } catch (Throwable t) {
                    throw crash(t);
                }
                if (r == null) {
                    throw badReturn("handleCall");
                }
                return switch (r) {
                    case CallResult.Reply<S>(Object value, S s, Next n) -> {
                        state = s;
                        Gen.reply(from, value);
                        if (debug != null && debug.on()) {
                            debug.event(new SysEvent.Out(value, from, s), who());
                        }
                        yield n;
                    }
                    case CallResult.StopReply<S>(ExitReason reason, Object reply, S s) -> {
                        state = s;
                        throw stop(reason, from, reply, null);
                    }
                    case Result<S> other -> apply(other, "handleCall");
                };
            }
            case Gen.Cast(Object request) -> {
                return result("handleCast", () -> mod.handleCast(request, state));
            }
            case Gen.SystemMessage system -> {
                Sys.handle(system, this);
                return current;
            }
            case Exit e when e.from().equals(parent) -> throw stop(e.reason(), null, null, null);
            default -> {
                return result("handleInfo", () -> mod.handleInfo(message, state));
            }
        }
    }

    private interface Callback<S> {
        Result<S> run();
    }

    private Next result(String name, Callback<S> callback) {
        Result<S> r;
        try {
            r = callback.run();
        } catch (Throwable t) {
            throw crash(t);
        }
        return apply(r, name);
    }

    private Next apply(Result<S> r, String callback) {
        return switch (r) {
            case Result.NoReply<S>(S s, Next n) -> {
                state = s;
                if (debug != null && debug.on()) {
                    debug.event(new SysEvent.NoReply(s), who());
                }
                yield n;
            }
            case Result.Stop<S>(ExitReason reason, S s) -> {
                state = s;
                throw stop(reason, null, null, null);
            }
            case null -> throw badReturn(callback);
        };
    }

    /** OTP's {@code {bad_return_value, V}}: terminate runs, the report names the callback. */
    private RuntimeException badReturn(String callback) {
        return stop(ExitReason.of(new BadReturnValue(callback, null)), null, null, null);
    }

    private RuntimeException crash(Throwable t) {
        if (ProcLib.isKilled(t)) {
            throw (Error) t; // killed: OTP runs no terminate
        }
        return stop(ProcLib.reasonOf(t), null, null, t);
    }

    /** Runs terminate, answers a pending call, logs a crash report if abnormal, and exits. */
    private RuntimeException stop(ExitReason reason, From from, Object reply, Throwable cause) {
        try {
            mod.terminate(reason, state);
        } catch (Throwable t) {
            if (ProcLib.isKilled(t)) {
                throw (Error) t;
            }
            reason = ProcLib.reasonOf(t);
            cause = t;
        }
        if (from != null) {
            Gen.reply(from, reply);
        }
        Gen.unregister(name);
        if (!reason.isNormal()) {
            report("terminating", reason, cause);
        }
        throw exit(reason);
    }

    private void report(String what, ExitReason reason, Throwable cause) {
        Throwable stack = cause != null ? cause : reason instanceof ExitReason.Crash(Throwable error) ? error : null;
        String server = name != null ? name + " (" + self() + ")" : self().toString();
        String stateText;
        try {
            stateText = state == null && "init".equals(what) ? "(init did not return)" : mod.formatState(state);
        } catch (RuntimeException e) {
            stateText = "(formatState threw " + e + ")";
        }
        if (stateText.length() > STATE_REPORT_LIMIT) {
            stateText = stateText.substring(0, STATE_REPORT_LIMIT) + "... (" + stateText.length() + " characters)";
        }
        String text = "GenServer " + server + " " + what
                + "\n** Module: " + mod.getClass().getName()
                + "\n** Last message: " + ("init".equals(what) ? "(none: init failed)" : last)
                + "\n** State: " + stateText
                + "\n** Reason: " + reason + explain(reason)
                + logText();
        LOG.log(System.Logger.Level.ERROR, text, stack);
    }

    /**
     * OTP's {@code ** Log ==} part: the events of a {@code log} debug option, if on, printed as
     * trace lines so that states go through {@code formatState}.
     */
    private String logText() {
        if (debug == null) {
            return "";
        }
        var events = debug.logged();
        if (events.isEmpty()) {
            return "";
        }
        var text = new StringBuilder("\n** Log:");
        for (SysEvent e : events) {
            String line = debug.line(e, who());
            text.append("\n   ").append(line.length() > STATE_REPORT_LIMIT
                    ? line.substring(0, STATE_REPORT_LIMIT) + "... (" + line.length() + " characters)" : line);
        }
        return text.toString();
    }

    private String explain(ExitReason reason) {
        if (reason instanceof ExitReason.Term(BadReturnValue(String callback, Object value))) {
            return " (" + mod.getClass().getName() + "." + callback + " returned " + value + "; "
                    + switch (callback) {
                        case "init" -> "return ok(state), Init.ignore() or Init.stop(reason)";
                        case "handleCall" -> "return reply(value, state), noReply(state) or stop(...)";
                        default -> "return noReply(state) or stop(reason, state)";
                    } + ")";
        }
        return "";
    }

    /** How the debug lines name the process: its name if it has one, as OTP's gen_server. */
    private Object who() {
        return name != null ? name : self();
    }

    // ---- system messages ----

    @Override
    public Object debug(Sys.DebugCommand command) {
        if (debug == null) {
            debug = newDebug(DebugOptions.NONE);
        }
        return debug.command(command, who());
    }

    @Override
    public Pid parent() {
        return parent;
    }

    @Override
    public Object systemState() {
        return state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replaceSystemState(UnaryOperator<Object> fn) {
        state = (S) fn.apply(state);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void codeChange(GenServer<?> newCode, Object oldVsn, Object extra, UnaryOperator<Object> convertState) {
        GenServer<S> next = newCode == null ? mod : (GenServer<S>) newCode;
        S from = convertState == null ? state : (S) convertState.apply(state);
        state = next.codeChange(oldVsn, from, extra);
        if (next.getClass() != mod.getClass()) {
            ServerIndex.remove(mod.getClass(), self());
            ServerIndex.add(next.getClass(), self());
        }
        mod = next;
    }

    @Override
    public Class<?> callbackClass() {
        return mod.getClass();
    }

    @Override
    public RuntimeException systemTerminate(ExitReason reason) {
        return stop(reason, null, null, null);
    }
}

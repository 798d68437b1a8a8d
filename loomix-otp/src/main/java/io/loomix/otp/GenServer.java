package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static io.loomix.Process.*;

/**
 * Erlang's {@code gen_server} and Elixir's {@code GenServer}: a process that holds a state and
 * answers calls, casts and other messages through callbacks. Extend it, with the state type
 * {@code S}; the object is the server's callback module and should keep no state of its own.
 *
 * {@snippet :
 * record Inc() {}
 * record Get() {}
 *
 * class Counter extends GenServer<Integer> {
 *     protected Init<Integer> init() { return ok(0); }
 *     protected CallResult<Integer> handleCall(Object request, From from, Integer n) { return reply(n, n); }
 *     protected Result<Integer> handleCast(Object request, Integer n) { return noReply(n + 1); }
 * }
 *
 * Pid counter = GenServer.startLink(new Counter());
 * GenServer.cast(counter, new Inc());
 * int n = GenServer.call(counter, new Get());   // 1
 * }
 *
 * <p>A server is named by a {@link Pid}, a registered name ({@link Atom} or {@code String}), a
 * {@link io.loomix.Name} {@code {name, node}}, or a {@link Via}. Requests, replies and casts
 * are messages: immutable values. The state is never sent, except by {@link Sys#getState}.
 *
 * <p>If a callback throws, the server stops: {@link #terminate} runs, the server exits with
 * {@code Crash(exception)} (or the reason given to {@code exit}) and a crash report naming the
 * server, its last message, its state ({@link #formatState}) and the reason is logged to the
 * {@link System.Logger} {@code io.loomix.otp.GenServer}. Exits {@code normal}, {@code shutdown}
 * and {@code {shutdown, _}} are quiet.
 *
 * @param <S> the server's state
 */
public abstract class GenServer<S> {
    /** The default call timeout, as OTP's: 5 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Wait forever (Erlang's {@code infinity}). */
    public static final Duration INFINITY = Gen.INFINITY;
    /** What {@link #handleInfo} receives when a {@link Next.Timeout} passes without a message. */
    public static final Atom TIMEOUT = Gen.TIMEOUT;

    private static final System.Logger LOG = System.getLogger("io.loomix.otp.GenServer");

    protected GenServer() {}

    // ---- callbacks ----

    /**
     * Runs in the new process before {@code start} returns. Returns {@link #ok}{@code (state)}
     * (optionally {@code .withContinue(arg)} or {@code .withTimeout(d)}), {@link Init#ignore()}, or
     * {@link Init#stop}{@code (reason)}; throwing is like {@code stop} with the exception.
     */
    protected abstract Init<S> init();

    /**
     * A {@link #call}. Returns {@link #reply}{@code (value, state)}; {@link #noReply}{@code (state)}
     * to answer later with {@link From#reply}; {@link #stop}{@code (reason, reply, state)} or
     * {@code stop(reason, state)}. The default crashes the server: a server that takes calls
     * must override it.
     */
    protected CallResult<S> handleCall(Object request, From from, S state) {
        throw new UnsupportedOperationException(getClass().getName() + " received the call " + request
                + " but does not override handleCall");
    }

    /**
     * A {@link #cast}. Returns {@link #noReply}{@code (state)} or {@link #stop}{@code (reason, state)}.
     * The default crashes the server: a server that takes casts must override it.
     */
    protected Result<S> handleCast(Object request, S state) {
        throw new UnsupportedOperationException(getClass().getName() + " received the cast " + request
                + " but does not override handleCast");
    }

    /**
     * Any other message: {@link io.loomix.Exit}s when trapping exits, {@link Down}s, timer
     * messages, {@link #TIMEOUT}. Returns as {@link #handleCast}. The default logs the message
     * as unexpected and carries on, as Elixir's does.
     */
    protected Result<S> handleInfo(Object message, S state) {
        LOG.log(System.Logger.Level.WARNING, () -> getClass().getName() + " " + self()
                + " received an unexpected message in handleInfo: " + message);
        return noReply(state);
    }

    /**
     * Runs when a result asked to continue with {@code arg}, before any message is looked at.
     * Returns as {@link #handleCast}. The default crashes the server.
     */
    protected Result<S> handleContinue(Object arg, S state) {
        throw new UnsupportedOperationException(getClass().getName() + " asked to continue with " + arg
                + " but does not override handleContinue");
    }

    /**
     * Runs when the server stops: a callback returned stop or threw, {@link #stop} was called, or
     * its linked parent exited while it traps exits. Not run when it is killed, nor when an exit
     * signal reaches a server that does not trap exits (trap exits to clean up on shutdown).
     */
    protected void terminate(ExitReason reason, S state) {}

    /** Migrates the state from {@code oldVsn} on {@link Sys#codeChange}; the default keeps it. */
    protected S codeChange(Object oldVsn, S state, Object extra) {
        return state;
    }

    /**
     * How this server is supervised, Elixir's {@code child_spec/1}: by default a permanent worker
     * with the class name as id, started with {@link #startLink(GenServer)} of this instance.
     * Override to change the id, restart, shutdown or name, as {@code use GenServer, restart: ...}.
     */
    public ChildSpec childSpec() {
        return ChildSpec.worker(getClass().getName(), () -> startLink(this));
    }

    /** The state as crash reports print it; override to shorten it or hide secrets. */
    protected String formatState(S state) {
        return String.valueOf(state);
    }

    // ---- results ----

    /** {@code init}'s {@code {ok, State}}. */
    protected static <S> Init.Ok<S> ok(S state) {
        return Init.ok(state);
    }

    /** {@code {reply, Value, State}}. */
    protected static <S> CallResult.Reply<S> reply(Object value, S state) {
        return new CallResult.Reply<>(value, state, Next.NONE);
    }

    /** {@code {noreply, State}}. */
    protected static <S> Result.NoReply<S> noReply(S state) {
        return new Result.NoReply<>(state, Next.NONE);
    }

    /** {@code {stop, Reason, State}}: {@code reason} as in {@link ExitReason#of}. */
    protected static <S> Result.Stop<S> stop(ExitReason reason, S state) {
        return new Result.Stop<>(reason, state);
    }

    /** {@code {stop, Reason, Reply, State}}: terminate runs, then the caller gets {@code reply}. */
    protected static <S> CallResult.StopReply<S> stop(ExitReason reason, Object reply, S state) {
        return new CallResult.StopReply<>(reason, reply, state);
    }

    // ---- starting ----

    /** Starts {@code server} unlinked and returns once its init has returned. */
    public static Pid start(GenServer<?> server) {
        return start(server, StartOptions.DEFAULT);
    }

    /**
     * Starts {@code server} registered as {@code name} (an {@link Atom} or {@code String}, a
     * local {@link io.loomix.Name}, or a {@link Via}); the name is taken before init runs.
     *
     * @throws StartException if init failed or ignored, or with {@link StartException.AlreadyStarted}
     */
    public static Pid start(GenServer<?> server, Object name) {
        return start(server, StartOptions.DEFAULT.withName(name));
    }

    /** Starts {@code server} linked to the caller: the way a supervisor starts its children. */
    public static Pid startLink(GenServer<?> server) {
        return startLink(server, StartOptions.DEFAULT);
    }

    /** {@link #startLink(GenServer)} registered as {@code name}, see {@link #start(GenServer, Object)}. */
    public static Pid startLink(GenServer<?> server, Object name) {
        return startLink(server, StartOptions.DEFAULT.withName(name));
    }

    /**
     * The positional form: {@code name} may be null; if init does not return within {@code timeout}
     * the process is killed and this throws {@link StartException} with reason {@code timeout}.
     * Prefer {@link #start(GenServer, StartOptions)}.
     */
    public static Pid start(GenServer<?> server, Object name, boolean link, Duration timeout) {
        StartOptions options = new StartOptions(name, timeout, io.loomix.SpawnOptions.DEFAULT);
        return link ? startLink(server, options) : start(server, options);
    }

    /**
     * Starts {@code server} unlinked, as {@code options} say, and returns once its init has returned.
     *
     * @throws StartException with the reason init failed with: its stop reason, its exception as
     *                        {@code Crash}, {@link BadReturnValue}, {@code killed} if it was killed
     *                        meanwhile, {@code timeout}, {@link StartException.AlreadyStarted}, or
     *                        {@link StartException#IGNORE}
     * @throws IllegalArgumentException if the name is malformed or its {@link Via} registry cannot name it
     */
    public static Pid start(GenServer<?> server, StartOptions options) {
        return ServerLoop.start(check(server), options(options), ProcLib.Tie.NONE).pid();
    }

    /**
     * {@link #start(GenServer, StartOptions)} linked to the caller. When the start fails, a caller
     * that traps exits finds no {@code Exit} from the failed server in its mailbox (as OTP 26).
     */
    public static Pid startLink(GenServer<?> server, StartOptions options) {
        return ServerLoop.start(check(server), options(options), ProcLib.Tie.LINK).pid();
    }

    /**
     * {@link #start(GenServer, StartOptions)} monitored by the caller, OTP's {@code start_monitor}:
     * returns the pid and the monitor, whose {@link Down} comes when the server exits. When the
     * start fails no Down is left behind.
     */
    public static Monitored startMonitor(GenServer<?> server, StartOptions options) {
        ProcLib.Spawned s = ServerLoop.start(check(server), options(options), ProcLib.Tie.MONITOR);
        return new Monitored(s.pid(), s.monitor());
    }

    /** {@link #startMonitor(GenServer, StartOptions)} with the default options. */
    public static Monitored startMonitor(GenServer<?> server) {
        return startMonitor(server, StartOptions.DEFAULT);
    }

    private static GenServer<?> check(GenServer<?> server) {
        return Objects.requireNonNull(server, "start: server must not be null (pass a new instance of your GenServer)");
    }

    private static StartOptions options(StartOptions options) {
        return Objects.requireNonNull(options, "start: options must not be null (use StartOptions.DEFAULT)");
    }

    /**
     * The live local process {@code server} names, Elixir's {@code GenServer.whereis}: a
     * {@link Pid} (returned as it is, alive or not, as Elixir does), a registered name, a local
     * {@link io.loomix.Name} or a {@link Via}. Empty when nothing is registered under the name; a
     * {@code Name} on another node is resolved there, so it is empty here.
     */
    public static Optional<Pid> whereis(Object server) {
        return Optional.ofNullable(Gen.whereis(Objects.requireNonNull(server, "whereis: server must not be null")));
    }

    // ---- talking to a server ----

    /** {@link #call(Object, Object, Duration)} with the 5 s {@link #DEFAULT_TIMEOUT}. */
    public static <R> R call(Object server, Object request) {
        return call(server, request, DEFAULT_TIMEOUT);
    }

    /**
     * Sends {@code request} and waits for the reply. The caller exits with
     * {@code Term(CallFailed(reason, "GenServer.call", [server, request, timeout]))} when no reply
     * comes within {@code timeout} (reason {@code timeout}), the server is not running
     * ({@code noproc}), or it exits first (its exit reason); catch {@link io.loomix.Exited} to
     * handle that. A reply that comes after a timeout is dropped; a caller that catches the exit
     * never finds it in its mailbox. A negative timeout or a malformed server throws
     * {@link IllegalArgumentException} before anything is sent.
     */
    @SuppressWarnings("unchecked")
    public static <R> R call(Object server, Object request, Duration timeout) {
        return (R) Gen.call(server, request, timeout, "GenServer.call");
    }

    /**
     * A request that says what its reply is, so that a call is typed at compile time:
     *
     * {@snippet :
     * record Get() implements GenServer.Request<Integer> {}
     *
     * int n = GenServer.call(counter, new Get());        // Integer, checked by the compiler
     * String s = GenServer.call(counter, new Get());     // does not compile
     * }
     *
     * The server must answer it with an {@code R}: the compiler cannot see {@code handleCall}'s
     * reply, so a server that answers with something else fails the caller with a
     * {@link ClassCastException} where it uses the value.
     *
     * @param <R> the reply's type
     */
    public interface Request<R> {}

    /** {@link #call(Object, Object)} of a {@link Request}: the reply's type is the request's. */
    @SuppressWarnings("unchecked")
    public static <R> R call(Object server, Request<R> request) {
        return (R) Gen.call(server, request, DEFAULT_TIMEOUT, "GenServer.call");
    }

    /** {@link #call(Object, Object, Duration)} of a {@link Request}. */
    @SuppressWarnings("unchecked")
    public static <R> R call(Object server, Request<R> request, Duration timeout) {
        return (R) Gen.call(server, request, timeout, "GenServer.call");
    }

    /**
     * A call whose reply must be a {@code type}: {@code int n = GenServer.call(counter, new Get(), Integer.class)}.
     *
     * @throws ClassCastException naming the server, the request and what it answered, when the
     *                            reply is of another type (null passes)
     */
    public static <R> R call(Object server, Object request, Class<R> type) {
        return call(server, request, DEFAULT_TIMEOUT, type);
    }

    /** {@link #call(Object, Object, Class)} with a timeout. */
    public static <R> R call(Object server, Object request, Duration timeout, Class<R> type) {
        Objects.requireNonNull(type, "call: type must not be null");
        Object reply = Gen.call(server, request, timeout, "GenServer.call");
        return typed(reply, type, () -> "GenServer.call: " + server + " answered " + request);
    }

    static <R> R typed(Object value, Class<R> type, java.util.function.Supplier<String> what) {
        Class<?> boxed = type.isPrimitive() ? java.lang.invoke.MethodType.methodType(type).wrap().returnType() : type;
        if (value != null && !boxed.isInstance(value)) {
            throw new ClassCastException(what.get() + " with " + value.getClass().getName() + " " + value
                    + ", not a " + boxed.getName());
        }
        @SuppressWarnings("unchecked")
        R r = (R) value;
        return r;
    }

    // ---- asynchronous calls ----

    /**
     * Sends {@code request} as a call without waiting, OTP's {@code send_request}: take the
     * response later with {@link #waitResponse}, {@link #receiveResponse} or, for a message
     * received some other way (in {@code handleInfo}), {@link #checkResponse}. A server that is
     * not running gives a {@code noproc} failure as its response.
     */
    public static RequestId sendRequest(Object server, Object request) {
        return GenRequests.sendRequest(server, request);
    }

    /**
     * Waits up to {@code timeout} for the response to {@code id}, OTP's {@code wait_response}:
     * null if none came (the request stays pending: wait again later).
     */
    public static Response waitResponse(RequestId id, Duration timeout) {
        return GenRequests.await(Objects.requireNonNull(id, "waitResponse: request id must not be null"), timeout, false);
    }

    /**
     * {@link #waitResponse(RequestId, Duration)}, but a timeout abandons the request, OTP's
     * {@code receive_response}: a response that comes later is dropped.
     */
    public static Response receiveResponse(RequestId id, Duration timeout) {
        return GenRequests.await(Objects.requireNonNull(id, "receiveResponse: request id must not be null"), timeout, true);
    }

    /** The response to {@code id} if {@code message} is it, else null (OTP's {@code no_reply}). */
    public static Response checkResponse(Object message, RequestId id) {
        return GenRequests.check(message, Objects.requireNonNull(id, "checkResponse: request id must not be null"));
    }

    /**
     * Waits for the first response to any request in {@code ids}: {@link RequestIds.Got} with its
     * label and the collection without it ({@code delete}) or unchanged, {@link RequestIds.NoRequest}
     * if {@code ids} is empty, or null on timeout.
     */
    public static <L> RequestIds.Outcome<L> waitResponse(RequestIds<L> ids, Duration timeout, boolean delete) {
        return GenRequests.await(Objects.requireNonNull(ids, "waitResponse: ids must not be null"), timeout, delete, false);
    }

    /** {@link #waitResponse(RequestIds, Duration, boolean)}, but a timeout abandons every request in {@code ids}. */
    public static <L> RequestIds.Outcome<L> receiveResponse(RequestIds<L> ids, Duration timeout, boolean delete) {
        return GenRequests.await(Objects.requireNonNull(ids, "receiveResponse: ids must not be null"), timeout, delete, true);
    }

    /** {@link #checkResponse(Object, RequestId)} against every request in {@code ids}; null if {@code message} answers none. */
    public static <L> RequestIds.Outcome<L> checkResponse(Object message, RequestIds<L> ids, boolean delete) {
        return GenRequests.check(message, Objects.requireNonNull(ids, "checkResponse: ids must not be null"), delete);
    }

    /** Sends {@code request} to {@code handleCast} without waiting; dropped if the server is not running. */
    public static void cast(Object server, Object request) {
        Gen.cast(server, new Gen.Cast(Objects.requireNonNull(request, "cast: request must not be null")));
    }

    /** Stops the server with reason {@code normal}, waiting without limit. */
    public static void stop(Object server) {
        stop(server, ExitReason.NORMAL, INFINITY);
    }

    /**
     * Stops the server: it runs {@link #terminate} with {@code reason} and exits. Returns once it
     * has exited. The caller exits with {@code CallFailed(noproc, "GenServer.stop", ...)} if the
     * server is not running, {@code calling_self} if it is the caller, {@code timeout} if it is
     * still running after {@code timeout}, or the server's reason if it exited with another reason.
     * A negative timeout throws {@link IllegalArgumentException} before anything is sent.
     */
    public static void stop(Object server, ExitReason reason, Duration timeout) {
        Objects.requireNonNull(reason, "stop: reason must not be null");
        Gen.checkTimeout(timeout, "GenServer.stop");
        Pid pid = Gen.whereis(server);
        if (pid == null) {
            throw Gen.fail(ExitReason.NOPROC, "GenServer.stop", server, reason, timeout);
        }
        if (pid.equals(self())) {
            throw Gen.fail(ExitReason.of(Gen.CALLING_SELF), "GenServer.stop", server, reason, timeout);
        }
        Ref mref = monitor(pid);
        send(pid, new Gen.SystemMessage(new From(self(), mref), new Sys.Terminate(reason)));
        Down down = receive(mref, timeout, m -> m instanceof Down d && d.ref().equals(mref) ? d : null, () -> null);
        if (down == null) {
            demonitor(mref, true);
            throw Gen.fail(ExitReason.of(Gen.TIMEOUT), "GenServer.stop", server, reason, timeout);
        }
        if (!down.reason().equals(reason)) {
            throw exit(new CallFailed(down.reason(), "GenServer.stop", List.of(server, reason, Gen.printable(timeout))));
        }
    }
}

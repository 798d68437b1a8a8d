package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static io.loomix.Process.*;

/**
 * The layer every behaviour shares, Erlang's {@code gen}: how servers are named and found, and the
 * call protocol. A call monitors the server (which also sets the receive marker, so the wait does
 * not scan older messages), makes an alias for the reply, sends a {@link Call} and waits for the
 * {@link Reply} or the server's {@link Down}. Replies go to the alias: once the caller stops
 * waiting it removes the alias, and a late reply is dropped by the runtime.
 */
final class Gen {
    private Gen() {}

    /** Forever, as a call or start timeout (Erlang's {@code infinity}). */
    static final Duration INFINITY = Duration.ofMillis(Long.MAX_VALUE);
    static final Atom TIMEOUT = Atom.of("timeout");
    static final Atom CALLING_SELF = Atom.of("calling_self");

    /** Erlang's {@code {'$gen_call', From, Request}}. */
    record Call(From from, Object request) {
        @Override
        public String toString() {
            return "{'$gen_call'," + from + "," + request + "}";
        }
    }

    /** Erlang's {@code {'$gen_cast', Request}}. */
    record Cast(Object request) {
        @Override
        public String toString() {
            return "{'$gen_cast'," + request + "}";
        }
    }

    /** The answer to a {@link Call}, sent to the caller's alias. */
    record Reply(Ref tag, Object value) {}

    /** Erlang's {@code {system, From, Request}}: handled by {@link Sys}, apart from user messages. */
    record SystemMessage(From from, Sys.Request request) {
        @Override
        public String toString() {
            return "{system," + from + "," + request + "}";
        }
    }

    private static final Object TIMED_OUT = new Object();

    /**
     * The live local process a server reference names, or null: a {@link Pid}, a registered name
     * ({@link Atom} or {@code String}), a {@link Name} on this node, or a {@link Via}.
     */
    static Pid whereis(Object server) {
        return switch (server) {
            case Pid pid -> pid;
            case Atom name -> Process.whereis(name).orElse(null);
            case String name -> Process.whereis(name).orElse(null);
            case Name name when isLocal(name) -> Process.whereis(name.name()).orElse(null);
            case Name name -> null;
            case Via via -> via.registry().whereisName(via.key()).orElse(null);
            case null -> throw new NullPointerException("server must not be null");
            default -> throw badServer(server);
        };
    }

    static boolean isLocal(Name name) {
        return name.node() == Name.local("x").node();
    }

    static IllegalArgumentException badServer(Object server) {
        return new IllegalArgumentException("badarg: a server is named by a Pid, an Atom or String name, a Name"
                + " {name, node} or a Via, got " + server.getClass().getName() + " " + server);
    }

    /**
     * Checks a name a server is to be registered under, in the caller: a malformed name, or a
     * {@link Via} whose registry is not running or cannot name servers, throws here.
     */
    static void checkName(Object name) {
        whereis(name);
    }

    /** Validates a call or stop timeout before anything is sent. */
    static void checkTimeout(Duration timeout, String function) {
        Objects.requireNonNull(timeout, function + ": timeout must not be null (use GenServer.INFINITY to wait forever)");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(function + ": timeout must be >= 0 or GenServer.INFINITY, was "
                    + timeout);
        }
    }

    /**
     * Sends without waiting; a message for a server that is not running is dropped, as in Erlang,
     * and so is one for a {@link Via} whose registry is not running: a cast never fails.
     */
    static void cast(Object server, Object message) {
        if (server instanceof Name name && !isLocal(name)) {
            send(name, message);
            return;
        }
        Pid pid;
        try {
            pid = whereis(server);
        } catch (RuntimeException registryGone) {
            if (!(server instanceof Via)) {
                throw registryGone;
            }
            return;
        }
        if (pid != null) {
            send(pid, message);
        }
    }

    /**
     * Makes a call and returns the reply; on failure exits the caller with
     * {@code Term(CallFailed(reason, function, [server, request, timeout]))}.
     */
    static Object call(Object server, Object request, Duration timeout, String function) {
        return call(server, request, timeout, function, false);
    }

    /** A call carrying a {@link Sys} request, answered by the process's system-message handling. */
    static Object systemCall(Object server, Sys.Request request, Duration timeout, String function) {
        return call(server, request, timeout, function, true);
    }

    private static Object call(Object server, Object request, Duration timeout, String function, boolean system) {
        Objects.requireNonNull(request, function + ": request must not be null");
        checkTimeout(timeout, function);
        // Resolve the server before making anything: a bad argument or a missing server leaves no alias.
        Pid pid = null;
        boolean remote = server instanceof Name name && !isLocal(name);
        if (!remote) {
            pid = whereis(server);
            if (pid == null) {
                throw fail(ExitReason.NOPROC, function, server, request, timeout);
            }
            if (pid.equals(self())) {
                throw fail(ExitReason.of(CALLING_SELF), function, server, request, timeout);
            }
        }
        Ref tag = alias();
        From from = new From(self(), tag);
        Object message = system ? new SystemMessage(from, (Sys.Request) request) : new Call(from, request);
        Ref mref;
        if (remote) {
            mref = monitor((Name) server); // the Down names the Name; distribution will carry monitor and message
            send((Name) server, message);
        } else {
            mref = monitor(pid);
            send(pid, message);
        }
        Object answer = awaitAnswer(tag, mref, timeout);
        if (answer instanceof NoAnswer(ExitReason reason)) {
            throw fail(reason, function, server, request, timeout);
        }
        return answer;
    }

    /**
     * The value replied to {@code tag}, or a {@link NoAnswer}: the reason of the process that
     * {@code mref} monitors if it exited first, timeout if nothing came in time. The alias and the
     * monitor are removed either way, so a later answer or Down is dropped.
     */
    private static Object awaitAnswer(Ref tag, Ref mref, Duration timeout) {
        Object answer = receive(mref, timeout, m -> switch (m) {
            case Reply r when r.tag().equals(tag) -> r;
            case Down d when d.ref().equals(mref) -> d;
            default -> null;
        }, () -> TIMED_OUT);
        unalias(tag);
        if (answer instanceof Reply r) {
            if (!demonitor(mref)) {
                demonitor(mref, true); // the server exited just after answering: drop its Down
            }
            return r.value();
        }
        if (answer instanceof Down d) {
            return new NoAnswer(d.reason());
        }
        demonitor(mref, true);
        // As OTP's gen: a reply that landed between the timeout and the unalias still answers the call.
        Object late = receive(Duration.ZERO, m -> m instanceof Reply r && r.tag().equals(tag) ? r : null, () -> null);
        return late instanceof Reply r ? r.value() : new NoAnswer(ExitReason.of(TIMEOUT));
    }

    /** A system request sent by {@link #sendSystem} whose answer {@link #awaitSystem} collects. */
    record PendingSystem(Pid pid, Ref tag, Ref mref) {}

    /** What a pending system request came to when it did not answer: the process's exit reason, or timeout. */
    record NoAnswer(ExitReason reason) {}

    /**
     * Sends a system request without waiting for its answer, so that one process can have
     * several out at once (to one server, which handles them in order, or to many).
     */
    static PendingSystem sendSystem(Pid pid, Sys.Request request) {
        Ref tag = alias();
        Ref mref = monitor(pid);
        send(pid, new SystemMessage(new From(self(), tag), request));
        return new PendingSystem(pid, tag, mref);
    }

    /**
     * The answer to {@code pending}, or a {@link NoAnswer} if the process exited first or nothing
     * came by {@code deadline} ({@link System#nanoTime}); the alias is removed either way, so a
     * later answer is dropped.
     */
    static Object awaitSystem(PendingSystem pending, long deadline) {
        return awaitAnswer(pending.tag(), pending.mref(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    static RuntimeException fail(ExitReason reason, String function, Object server, Object request, Duration timeout) {
        return exit(new CallFailed(reason, function, List.of(server, request, printable(timeout))));
    }

    /** A timeout as Erlang prints it in a call's exit reason: milliseconds or {@code infinity}. */
    static Object printable(Duration timeout) {
        return timeout.compareTo(Duration.ofDays(365 * 100)) > 0 ? Atom.of("infinity") : (Object) timeout.toMillis();
    }

    /** Sends {@code value} as the answer to a call. */
    static void reply(From from, Object value) {
        send(from.tag(), new Reply(from.tag(), value));
    }

    // ---- names, registered by the server itself before its init runs ----

    /** Registers the calling process under {@code name}; the holder of the name when it is taken. */
    static Optional<Pid> register(Object name) {
        Pid me = self();
        switch (name) {
            case Atom a -> {
                return registerAtom(a, me);
            }
            case String s -> {
                return registerAtom(Atom.of(s), me);
            }
            case Name n when isLocal(n) -> {
                return registerAtom(n.name(), me);
            }
            case Via via -> {
                if (via.registry().registerName(via.key())) {
                    return Optional.empty();
                }
                return Optional.of(via.registry().whereisName(via.key()).orElse(me));
            }
            default -> throw new IllegalArgumentException("badarg: a server can be registered under an Atom or"
                    + " String name, a Name on this node, or a Via; got " + name);
        }
    }

    private static Optional<Pid> registerAtom(Atom name, Pid me) {
        try {
            Process.register(name, me);
            return Optional.empty();
        } catch (IllegalArgumentException taken) {
            return Optional.of(Process.whereis(name).orElse(me));
        }
    }

    static void unregister(Object name) {
        switch (name) {
            case null -> {}
            case Via via -> {
                try {
                    via.registry().unregisterName(via.key());
                } catch (RuntimeException registryGone) {
                    // the registry has exited, and its entries with it
                }
            }
            default -> {
                Atom a = name instanceof Name n ? n.name() : name instanceof Atom at ? at : Atom.of((String) name);
                if (Process.whereis(a).filter(p -> p.equals(self())).isPresent()) {
                    Process.unregister(a);
                }
            }
        }
    }
}

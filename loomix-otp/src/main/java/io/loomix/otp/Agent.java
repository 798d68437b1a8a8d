package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Elixir's {@code Agent}: a process holding a state that other processes read and change with
 * functions. The functions run in the agent, one at a time, so updates never race.
 *
 * {@snippet :
 * Pid visits = Agent.start(() -> Map.<String, Integer>of());
 * Agent.update(visits, m -> plus(m, "/home"));
 * int home = Agent.get(visits, m -> m.getOrDefault("/home", 0));
 * }
 *
 * <p>The functions travel in messages and what {@code get} returns is sent back: in strict mode
 * both must be immutable values (a lambda capturing only immutable values is one).
 */
public final class Agent {
    private Agent() {}

    /** Elixir's {@code get_and_update} result: what to return and the new state. */
    public record GetAndUpdate<R, S>(R get, S update) {}

    // Requests print as Elixir's, without the function's class name, in call failures and reports.
    record Get(Function<Object, Object> fn) {
        @Override
        public String toString() {
            return "{get,#Function}";
        }
    }

    record Update(UnaryOperator<Object> fn) {
        @Override
        public String toString() {
            return "{update,#Function}";
        }
    }

    record GetAndUpdateRequest(Function<Object, GetAndUpdate<?, ?>> fn) {
        @Override
        public String toString() {
            return "{get_and_update,#Function}";
        }
    }

    /** Starts an agent whose state is {@code init.get()}, run in the agent before start returns. */
    public static <S> Pid start(Supplier<S> init) {
        return GenServer.start(new Server<>(init));
    }

    /** {@link #start(Supplier)} registered as {@code name} (an Atom or String, a Name or a Via). */
    public static <S> Pid start(Supplier<S> init, Object name) {
        return GenServer.start(new Server<>(init), name);
    }

    /** {@link #start(Supplier)} as {@code options} say: name, start timeout, the agent's {@link io.loomix.SpawnOptions}. */
    public static <S> Pid start(Supplier<S> init, StartOptions options) {
        return GenServer.start(new Server<>(init), options);
    }

    public static <S> Pid startLink(Supplier<S> init) {
        return GenServer.startLink(new Server<>(init));
    }

    /** {@link #startLink(Supplier)} registered as {@code name} (an Atom or String, a Name or a Via). */
    public static <S> Pid startLink(Supplier<S> init, Object name) {
        return GenServer.startLink(new Server<>(init), name);
    }

    /** {@link #startLink(Supplier)} as {@code options} say. */
    public static <S> Pid startLink(Supplier<S> init, StartOptions options) {
        return GenServer.startLink(new Server<>(init), options);
    }

    /**
     * How an agent is supervised, Elixir's {@code Agent.child_spec}: a permanent worker with id
     * {@code id} that starts with {@code init}.
     */
    public static <S> ChildSpec childSpec(Object id, Supplier<S> init) {
        Objects.requireNonNull(init, "childSpec: init function must not be null");
        return ChildSpec.worker(id, () -> startLink(init));
    }

    /** {@code fn(state)}, computed in the agent. Exits like {@link GenServer#call} on timeout (5 s) or noproc. */
    public static <S, R> R get(Object agent, Function<S, R> fn) {
        return get(agent, fn, GenServer.DEFAULT_TIMEOUT);
    }

    @SuppressWarnings("unchecked")
    public static <S, R> R get(Object agent, Function<S, R> fn, Duration timeout) {
        Objects.requireNonNull(fn, "get: function must not be null");
        return (R) Gen.call(agent, new Get(s -> fn.apply((S) s)), timeout, "Agent.get");
    }

    /** Replaces the state with {@code fn(state)} and waits until it is done. */
    public static <S> void update(Object agent, UnaryOperator<S> fn) {
        update(agent, fn, GenServer.DEFAULT_TIMEOUT);
    }

    @SuppressWarnings("unchecked")
    public static <S> void update(Object agent, UnaryOperator<S> fn, Duration timeout) {
        Objects.requireNonNull(fn, "update: function must not be null");
        Gen.call(agent, new Update(s -> fn.apply((S) s)), timeout, "Agent.update");
    }

    /** Applies {@code fn} to the state: returns its {@code get} and keeps its {@code update}. */
    public static <S, R> R getAndUpdate(Object agent, Function<S, GetAndUpdate<R, S>> fn) {
        return getAndUpdate(agent, fn, GenServer.DEFAULT_TIMEOUT);
    }

    @SuppressWarnings("unchecked")
    public static <S, R> R getAndUpdate(Object agent, Function<S, GetAndUpdate<R, S>> fn, Duration timeout) {
        Objects.requireNonNull(fn, "getAndUpdate: function must not be null");
        return (R) Gen.call(agent, new GetAndUpdateRequest(s -> fn.apply((S) s)), timeout, "Agent.getAndUpdate");
    }

    /** Replaces the state with {@code fn(state)} without waiting. */
    @SuppressWarnings("unchecked")
    public static <S> void cast(Object agent, UnaryOperator<S> fn) {
        Objects.requireNonNull(fn, "cast: function must not be null");
        GenServer.cast(agent, new Update(s -> fn.apply((S) s)));
    }

    /** Stops the agent with reason {@code normal}. */
    public static void stop(Object agent) {
        GenServer.stop(agent);
    }

    public static void stop(Object agent, ExitReason reason, Duration timeout) {
        GenServer.stop(agent, reason, timeout);
    }

    /** The agent's GenServer: its callbacks apply the functions it is sent. */
    static final class Server<S> extends GenServer<Object> {
        private final Supplier<S> init;

        Server(Supplier<S> init) {
            this.init = Objects.requireNonNull(init, "agent init function must not be null");
        }

        @Override
        protected Init<Object> init() {
            return ok(init.get());
        }

        @Override
        protected CallResult<Object> handleCall(Object request, From from, Object state) {
            return switch (request) {
                case Get(Function<Object, Object> fn) -> reply(fn.apply(state), state);
                case Update(UnaryOperator<Object> fn) -> reply(Sys.OK, fn.apply(state));
                case GetAndUpdateRequest(Function<Object, GetAndUpdate<?, ?>> fn) -> {
                    GetAndUpdate<?, ?> r = fn.apply(state);
                    yield reply(r.get(), r.update());
                }
                default -> throw new IllegalArgumentException("unknown agent request " + request);
            };
        }

        @Override
        protected Result<Object> handleCast(Object request, Object state) {
            return noReply(((Update) request).fn().apply(state));
        }
    }
}

package io.loomix.otp;

import io.loomix.SpawnOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * How to start a {@link GenServer} (and the behaviours built on it): OTP's start options as a
 * value. Whether the server is linked or monitored is said by the function:
 * {@link GenServer#start}, {@link GenServer#startLink} or {@link GenServer#startMonitor}.
 *
 * {@snippet :
 * Pid cache = GenServer.startLink(new Cache(), StartOptions.DEFAULT
 *         .withName("cache")
 *         .withTimeout(Duration.ofSeconds(2))
 *         .withSpawn(SpawnOptions.DEFAULT.withMaxQueueLen(10_000)));
 * }
 *
 * @param name    an {@link io.loomix.Atom} or {@code String}, a local {@link io.loomix.Name}, a
 *                {@link Via}, or null for none; taken before init runs
 * @param timeout how long init may take; after it the process is killed and the start fails
 *                with {@code timeout} (default {@link GenServer#INFINITY})
 * @param spawn   the options of the server process ({@code spawn_opt})
 * @param debug   OTP's {@code debug} option: trace, log, statistics, log file, see {@link DebugOptions}
 */
public record StartOptions(Object name, Duration timeout, SpawnOptions spawn, DebugOptions debug) {
    /** No name, no start timeout, default spawn options, no debug options. */
    public static final StartOptions DEFAULT = new StartOptions(null, Gen.INFINITY, SpawnOptions.DEFAULT, DebugOptions.NONE);

    public StartOptions(Object name, Duration timeout, SpawnOptions spawn) {
        this(name, timeout, spawn, DebugOptions.NONE);
    }

    public StartOptions {
        Objects.requireNonNull(timeout, "timeout must not be null: use GenServer.INFINITY to wait forever");
        Objects.requireNonNull(spawn, "spawn options must not be null: use SpawnOptions.DEFAULT");
        Objects.requireNonNull(debug, "debug options must not be null: use DebugOptions.NONE");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a start timeout must be >= 0, was " + timeout);
        }
    }

    public StartOptions withName(Object name) {
        return new StartOptions(Objects.requireNonNull(name, "name"), timeout, spawn, debug);
    }

    public StartOptions withTimeout(Duration timeout) {
        return new StartOptions(name, timeout, spawn, debug);
    }

    public StartOptions withSpawn(SpawnOptions spawn) {
        return new StartOptions(name, timeout, spawn, debug);
    }

    /** OTP's {@code debug: [trace]}: the server logs what it gets and sends, see {@link Sys#trace}. */
    public StartOptions withTrace(boolean on) {
        return new StartOptions(name, timeout, spawn, debug.withTrace(on));
    }

    /** OTP's {@code debug} option as a whole: {@code withDebug(DebugOptions.NONE.withLog(20).withStatistics(true))}. */
    public StartOptions withDebug(DebugOptions debug) {
        return new StartOptions(name, timeout, spawn, debug);
    }
}

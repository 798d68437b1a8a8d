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
 * @param trace   OTP's {@code debug: [trace]}: the server logs what it gets and sends, see {@link Sys#trace}
 */
public record StartOptions(Object name, Duration timeout, SpawnOptions spawn, boolean trace) {
    /** No name, no start timeout, default spawn options, no trace. */
    public static final StartOptions DEFAULT = new StartOptions(null, Gen.INFINITY, SpawnOptions.DEFAULT, false);

    public StartOptions(Object name, Duration timeout, SpawnOptions spawn) {
        this(name, timeout, spawn, false);
    }

    public StartOptions {
        Objects.requireNonNull(timeout, "timeout must not be null: use GenServer.INFINITY to wait forever");
        Objects.requireNonNull(spawn, "spawn options must not be null: use SpawnOptions.DEFAULT");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a start timeout must be >= 0, was " + timeout);
        }
    }

    public StartOptions withName(Object name) {
        return new StartOptions(Objects.requireNonNull(name, "name"), timeout, spawn, trace);
    }

    public StartOptions withTimeout(Duration timeout) {
        return new StartOptions(name, timeout, spawn, trace);
    }

    public StartOptions withSpawn(SpawnOptions spawn) {
        return new StartOptions(name, timeout, spawn, trace);
    }

    public StartOptions withTrace(boolean on) {
        return new StartOptions(name, timeout, spawn, on);
    }
}

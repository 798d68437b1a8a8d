package io.loomix.otp;

import io.loomix.Pid;

import java.util.Optional;

/**
 * What a {@link Via} name needs from a registry: Erlang's via-module callbacks
 * ({@code register_name/2}, {@code unregister_name/1}, {@code whereis_name/1}). Implementations
 * must be immutable values, since names travel in messages and exit reasons.
 */
public interface NameRegistry {
    /**
     * Registers the calling process under {@code key}; false when the key is taken. Must be
     * called by the process being registered, which is how a server registers itself before init.
     */
    boolean registerName(Object key);

    /** Removes the calling process's registration under {@code key}, if any. */
    void unregisterName(Object key);

    /** The live process registered under {@code key}, if any. */
    Optional<Pid> whereisName(Object key);
}

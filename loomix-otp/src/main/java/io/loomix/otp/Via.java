package io.loomix.otp;

import java.util.Objects;

/**
 * Erlang's {@code {via, Module, Key}}: a server name kept by a {@link NameRegistry} instead of the
 * node's table of registered names, e.g. {@code new Via(registry, "user:42")} with a
 * {@link Registry}. Accepted wherever a server is named: start options, {@code call}, {@code cast}.
 */
public record Via(NameRegistry registry, Object key) {
    public Via {
        Objects.requireNonNull(registry, "via: registry must not be null");
        Objects.requireNonNull(key, "via: key must not be null");
    }

    @Override
    public String toString() {
        return "{via," + registry + "," + key + "}";
    }
}

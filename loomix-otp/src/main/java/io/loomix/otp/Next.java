package io.loomix.otp;

import java.time.Duration;
import java.util.Objects;

/**
 * What a GenServer does after a callback, besides waiting for its next message: Erlang's
 * {@code timeout}, {@code {continue, Arg}} and {@code hibernate} in callback results. Set with
 * {@code withTimeout}/{@code withContinue}/{@code hibernate} on a result.
 */
public sealed interface Next {
    /** Just wait for the next message. */
    record None() implements Next {}

    /** If no message arrives within {@code after}, {@code handleInfo} gets {@link GenServer#TIMEOUT}. */
    record Timeout(Duration after) implements Next {
        public Timeout {
            Objects.requireNonNull(after, "timeout must not be null");
            if (after.isNegative()) {
                throw new IllegalArgumentException("timeout_value: a GenServer timeout must be >= 0, was " + after);
            }
        }
    }

    /** Run {@code handleContinue(arg, state)} before looking at any message. */
    record Continue(Object arg) implements Next {}

    /**
     * Wait for the next message hibernated ({@link io.loomix.Process#hibernate}): the server's
     * thread and stack go, and it keeps only its state, mailbox, links and monitors until a message
     * comes. For servers that idle long; each wake-up costs about a spawn.
     */
    record Hibernate() implements Next {}

    None NONE = new None();
    Hibernate HIBERNATE = new Hibernate();
}

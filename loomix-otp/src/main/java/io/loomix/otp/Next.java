package io.loomix.otp;

import java.time.Duration;
import java.util.Objects;

/**
 * What a GenServer does after a callback, besides waiting for its next message: Erlang's
 * {@code timeout} and {@code {continue, Arg}} in callback results. Set with
 * {@code withTimeout}/{@code withContinue} on a result. (Erlang's {@code hibernate} has no
 * counterpart: a waiting virtual thread already holds no carrier and only a small stack.)
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

    None NONE = new None();
}

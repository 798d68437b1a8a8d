package io.loomix.otp;

import io.loomix.ExitReason;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code handleCall} returns: {@link Reply}, or any {@link Result} (no reply now, stop),
 * or {@link StopReply}. Made with {@link GenServer}'s factories: {@code reply(value, state)},
 * {@code noReply(state)}, {@code stop(reason, state)}, {@code stop(reason, reply, state)}.
 */
public sealed interface CallResult<S> permits CallResult.Reply, CallResult.StopReply, Result {

    /** Answer the caller with {@code value}; continue with {@code state}. */
    record Reply<S>(Object value, S state, Next next) implements CallResult<S> {
        public Reply {
            Objects.requireNonNull(next, "next");
        }

        public Reply<S> withContinue(Object arg) {
            return new Reply<>(value, state, new Next.Continue(arg));
        }

        public Reply<S> withTimeout(Duration timeout) {
            return new Reply<>(value, state, new Next.Timeout(timeout));
        }

        /** OTP's {@code {reply, Value, State, hibernate}}: see {@link Next.Hibernate}. */
        public Reply<S> hibernate() {
            return new Reply<>(value, state, Next.HIBERNATE);
        }
    }

    /** Stop with {@code reason}: terminate runs, then the caller gets {@code reply}. */
    record StopReply<S>(ExitReason reason, Object reply, S state) implements CallResult<S> {
        public StopReply {
            Objects.requireNonNull(reason, "reason");
        }
    }
}

package io.loomix.otp;

import io.loomix.ExitReason;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code handleCast}, {@code handleInfo} and {@code handleContinue} return (and
 * {@code handleCall} when it does not answer now): {@link NoReply} or {@link Stop}.
 */
public sealed interface Result<S> extends CallResult<S> permits Result.NoReply, Result.Stop {

    /** Continue with {@code state}; a call being handled gets no answer yet (see {@link From#reply}). */
    record NoReply<S>(S state, Next next) implements Result<S> {
        public NoReply {
            Objects.requireNonNull(next, "next");
        }

        public NoReply<S> withContinue(Object arg) {
            return new NoReply<>(state, new Next.Continue(arg));
        }

        public NoReply<S> withTimeout(Duration timeout) {
            return new NoReply<>(state, new Next.Timeout(timeout));
        }

        /** OTP's {@code {noreply, State, hibernate}}: see {@link Next.Hibernate}. */
        public NoReply<S> hibernate() {
            return new NoReply<>(state, Next.HIBERNATE);
        }
    }

    /**
     * Stop with {@code reason}: terminate runs, then the server exits. {@code normal},
     * {@code shutdown} and {@code {shutdown, _}} stop quietly; any other reason is logged as a crash.
     */
    record Stop<S>(ExitReason reason, S state) implements Result<S> {
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }
    }
}

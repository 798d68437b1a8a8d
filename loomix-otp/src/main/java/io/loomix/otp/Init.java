package io.loomix.otp;

import io.loomix.ExitReason;

import java.time.Duration;
import java.util.Objects;

/**
 * What a GenServer's {@code init} returns, Erlang's {@code {ok, State}}, {@code ignore} and
 * {@code {stop, Reason}}. {@code start} returns once init has returned: with the pid for
 * {@link Ok}; otherwise it throws {@link StartException} with the reason (for {@link Ignore},
 * {@link StartException#IGNORE}, which a supervisor takes as "nothing to start").
 */
public sealed interface Init<S> {

    /** Started, with its first state; {@code next} as in {@link Next}. */
    record Ok<S>(S state, Next next) implements Init<S> {
        public Ok {
            Objects.requireNonNull(next, "next");
        }

        public Ok<S> withContinue(Object arg) {
            return new Ok<>(state, new Next.Continue(arg));
        }

        public Ok<S> withTimeout(Duration timeout) {
            return new Ok<>(state, new Next.Timeout(timeout));
        }

        /** OTP's {@code {ok, State, hibernate}}: start hibernated, see {@link Next.Hibernate}. */
        public Ok<S> hibernate() {
            return new Ok<>(state, Next.HIBERNATE);
        }
    }

    /** Do not start; the process exits {@code normal}. */
    record Ignore<S>() implements Init<S> {}

    /** Do not start; the process exits with {@code reason}, and a linked caller sees it (as in OTP). */
    record Stop<S>(ExitReason reason) implements Init<S> {
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static <S> Ok<S> ok(S state) {
        return new Ok<>(state, Next.NONE);
    }

    static <S> Init<S> ignore() {
        return new Ignore<>();
    }

    static <S> Init<S> stop(Object reason) {
        return new Stop<>(ExitReason.of(reason));
    }
}

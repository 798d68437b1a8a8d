package io.loomix.otp;

import io.loomix.ExitReason;

/**
 * The response to a {@link GenServer#sendRequest}: OTP's {@code {reply, Reply}} or
 * {@code {error, {Reason, ServerRef}}}.
 */
public sealed interface Response {
    /** The server answered {@code value}. */
    record Reply(Object value) implements Response {}

    /** The server exited before answering ({@code noproc} if it was not running), named as it was sent to. */
    record Failed(ExitReason reason, Object server) implements Response {
        @Override
        public String toString() {
            return "{error,{" + reason + "," + server + "}}";
        }
    }
}

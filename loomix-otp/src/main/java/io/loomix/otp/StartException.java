package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;

/**
 * A server, supervisor or child did not start: Erlang's {@code {error, Reason}} from
 * {@code start_link}, or {@code ignore}. The reason says why: the init callback's stop reason,
 * its exception as {@link ExitReason.Crash}, {@link AlreadyStarted}, or {@code timeout}.
 */
public final class StartException extends RuntimeException {
    /** The reason of a start whose init returned {@code ignore}: not an error, just nothing started. */
    public static final ExitReason IGNORE = ExitReason.of(io.loomix.Atom.of("ignore"));

    private final transient ExitReason reason;

    public StartException(ExitReason reason) {
        super(message(reason), reason instanceof ExitReason.Crash c ? c.error() : null);
        this.reason = reason;
    }

    /** The name was taken: Erlang's {@code {already_started, Pid}}. */
    public record AlreadyStarted(Pid pid) {
        @Override
        public String toString() {
            return "{already_started," + pid + "}";
        }
    }

    public ExitReason reason() {
        return reason;
    }

    /** Whether init returned {@code ignore}. */
    public boolean ignored() {
        return reason.equals(IGNORE);
    }

    private static String message(ExitReason reason) {
        if (reason.equals(IGNORE)) {
            return "ignore: init chose not to start the process";
        }
        if (reason instanceof ExitReason.Term(AlreadyStarted a)) {
            return "already_started: the name is taken by " + a.pid() + "; use that process or pick another name";
        }
        return "process did not start: " + reason;
    }
}

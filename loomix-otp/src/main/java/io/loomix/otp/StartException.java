package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;

/**
 * A server, supervisor or child did not start, or a supervisor refused a child operation:
 * Erlang's {@code {error, Reason}} (or {@code ignore}). The reason says why: the init callback's
 * stop reason, its exception as {@link ExitReason.Crash}, {@link BadReturnValue}, {@code killed},
 * {@code timeout}, {@link AlreadyStarted}; from a supervisor also {@code already_present},
 * {@code running}, {@code restarting}, {@code not_found} or {@code max_children}.
 *
 * <p>The one failure convention of child management: {@code startChild}, {@code restartChild},
 * {@code deleteChild} and {@code terminateChild} return their result and throw this with OTP's
 * error reason; a child id that is not there is {@code false} from {@code terminateChild} and
 * {@code deleteChild} (Elixir's {@code {:error, :not_found}}).
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
            return "already_started: " + a.pid() + " already runs under that name (or, in a supervisor, that child id);"
                    + " use that process, or pick another name or id";
        }
        if (reason instanceof ExitReason.Term(io.loomix.Atom a)) {
            switch (a.name()) {
                case "running" -> {
                    return "running: the child is running; terminateChild it first";
                }
                case "restarting" -> {
                    return "restarting: the child's restart failed and is being retried; terminateChild it first";
                }
                case "not_found" -> {
                    return "not_found: the supervisor has no child with that id";
                }
                case "already_present" -> {
                    return "already_present: a stopped child has that id; restartChild it, or deleteChild it first";
                }
                default -> {}
            }
        }
        return "process did not start: " + reason;
    }
}

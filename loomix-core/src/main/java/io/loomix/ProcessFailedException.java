package io.loomix;

/** A process run with {@link Process#run} exited abnormally; the reason says why. */
public final class ProcessFailedException extends RuntimeException {
    private final transient ExitReason reason;

    public ProcessFailedException(ExitReason reason) {
        super("process exited: " + reason, reason instanceof ExitReason.Crash c ? c.error() : null);
        this.reason = reason;
    }

    public ExitReason reason() {
        return reason;
    }
}

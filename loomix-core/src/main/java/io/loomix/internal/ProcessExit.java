package io.loomix.internal;

import io.loomix.ExitReason;

/**
 * Unwinds a process that exits: thrown by {@code exit(reason)} and by the runtime when an exit
 * signal kills the process. It is an {@link Error} so that ordinary {@code catch (Exception e)}
 * blocks do not stop a process from dying; a process that catches it anyway dies at its next
 * receive, because the pending exit stays set.
 */
public final class ProcessExit extends io.loomix.Exited {
    private final transient ExitReason reason;

    public ProcessExit(ExitReason reason) {
        super("process exit: " + reason);
        this.reason = reason;
    }

    @Override
    public ExitReason reason() {
        return reason;
    }
}

package io.loomix.internal;

import io.loomix.ExitReason;

/**
 * Unwinds a process that exits: thrown by {@code exit(reason)} and by the runtime when an exit
 * signal kills the process. It is an {@link Error} so that ordinary {@code catch (Exception e)}
 * blocks do not stop a process from dying. A process that catches one thrown for an exit signal
 * has already been terminated (links, monitors, name and table) at the yield point that threw it,
 * and every later yield point throws it again: it cannot survive the signal.
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

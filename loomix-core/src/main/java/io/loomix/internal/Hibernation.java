package io.loomix.internal;

/**
 * Unwinds a process that hibernates, from {@code Process.hibernate} down to its body, where the
 * runtime ends the thread and keeps {@link #resume} for the next message. An {@link Error}, so that
 * {@code catch (Exception e)} blocks let it through; a block that catches it anyway (a
 * {@code catch (Throwable t)} that does not rethrow) cancels the hibernation and the process
 * simply goes on. It carries no stack trace: it is control flow, not a failure.
 */
public final class Hibernation extends Error {
    private final transient Runnable resume;

    Hibernation(Runnable resume) {
        super("the process is hibernating: this unwinds its stack to its body, so rethrow it from"
                + " any block that catches Throwable or Error", null, false, false);
        this.resume = resume;
    }

    Runnable resume() {
        return resume;
    }
}

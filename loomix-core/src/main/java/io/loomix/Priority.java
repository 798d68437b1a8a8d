package io.loomix;

/**
 * A process's scheduling priority, Erlang's {@code process_flag(priority, P)}.
 *
 * <ul>
 * <li>{@link #HIGH} processes that are ready to run go before all others.</li>
 * <li>{@link #NORMAL} is the default.</li>
 * <li>{@link #LOW} processes run when no normal one is ready, and also every few slices while
 *     normal ones are ready, so they are slowed down but never starved (as on BEAM).</li>
 * </ul>
 * Like Erlang's, priorities order the run queues only: a high-priority process that never blocks
 * still yields at the end of its time slice, but to other high-priority processes first.
 */
public enum Priority {
    LOW, NORMAL, HIGH;

    /** The Erlang atom: {@code low}, {@code normal}, {@code high}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

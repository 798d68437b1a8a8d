package io.loomix;

import java.util.Objects;

/**
 * Options for a new process, Erlang's {@code spawn_opt}: an immutable value, built up with
 * {@code with...} methods.
 *
 * {@snippet :
 * Pid worker = spawn(SpawnOptions.DEFAULT.withMaxQueueLen(10_000).withMaxHeapBytes(64 << 20), () -> work());
 * }
 *
 * @param maxQueueLen   the most messages its mailbox may hold; one more kills the process with
 *                      {@link LimitExceeded} (0: no limit)
 * @param maxHeapBytes  the most bytes the process may allocate between two receives (what
 *                      {@link ProcessInfo#memory()} reports); more kills it with {@link LimitExceeded}
 *                      (0: no limit). Turns allocation accounting on.
 * @param accounting    whether the runtime counts the bytes the process allocates, for
 *                      {@link ProcessInfo#memory()} and {@link ProcessInfo#allocatedBytes()}; off by
 *                      default because it costs about 10 ns each time the process blocks or resumes
 * @param priority      its scheduling priority, Erlang's {@code priority} flag
 */
public record SpawnOptions(long maxQueueLen, long maxHeapBytes, boolean accounting, Priority priority) {
    /** No limits, no accounting, normal priority. */
    public static final SpawnOptions DEFAULT = new SpawnOptions(0, 0, false, Priority.NORMAL);

    public SpawnOptions {
        if (maxQueueLen < 0) {
            throw new IllegalArgumentException("maxQueueLen must be >= 0 (0: no limit), was " + maxQueueLen);
        }
        if (maxHeapBytes < 0) {
            throw new IllegalArgumentException("maxHeapBytes must be >= 0 (0: no limit), was " + maxHeapBytes);
        }
        Objects.requireNonNull(priority, "priority must not be null: use Priority.NORMAL");
    }

    /** The mailbox may hold at most {@code max} messages (0: no limit). */
    public SpawnOptions withMaxQueueLen(long max) {
        return new SpawnOptions(max, maxHeapBytes, accounting, priority);
    }

    /**
     * The process may allocate at most {@code max} bytes between two receives (0: no limit); see
     * {@link ProcessInfo#memory()} for what is counted. Erlang's {@code max_heap_size}.
     */
    public SpawnOptions withMaxHeapBytes(long max) {
        return new SpawnOptions(maxQueueLen, max, accounting, priority);
    }

    /** Counts the process's allocations (implied by a heap limit). */
    public SpawnOptions withAccounting(boolean on) {
        return new SpawnOptions(maxQueueLen, maxHeapBytes, on, priority);
    }

    /** Runs the process at {@code p}. */
    public SpawnOptions withPriority(Priority p) {
        return new SpawnOptions(maxQueueLen, maxHeapBytes, accounting, p);
    }

    /** Whether allocations are counted: asked for, or needed by a heap limit. */
    public boolean accounted() {
        return accounting || maxHeapBytes > 0;
    }
}

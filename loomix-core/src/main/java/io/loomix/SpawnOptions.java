package io.loomix;

/**
 * Options for a new process, Erlang's {@code spawn_opt}: an immutable value, built up with
 * {@code with...} methods.
 *
 * {@snippet :
 * Pid worker = spawn(SpawnOptions.DEFAULT.withMaxQueueLen(10_000), () -> work());
 * }
 *
 * @param maxQueueLen the most messages its mailbox may hold; one more kills the process with
 *                    {@link LimitExceeded} (0: no limit)
 */
public record SpawnOptions(long maxQueueLen) {
    /** No limits. */
    public static final SpawnOptions DEFAULT = new SpawnOptions(0);

    public SpawnOptions {
        if (maxQueueLen < 0) {
            throw new IllegalArgumentException("maxQueueLen must be >= 0 (0: no limit), was " + maxQueueLen);
        }
    }

    /** The mailbox may hold at most {@code max} messages (0: no limit). */
    public SpawnOptions withMaxQueueLen(long max) {
        return new SpawnOptions(max);
    }
}

package io.loomix;

/**
 * The exit reason of a process killed for going over one of its limits (see {@link SpawnOptions}),
 * wrapped in {@link ExitReason.Term}. Like Erlang's {@code max_heap_size}, the kill cannot be
 * trapped: the process is the one at fault, and only it dies. Its links and monitors see this reason.
 *
 * @param limit which limit, e.g. {@code message_queue_len}
 * @param value what the process reached
 * @param max   the limit it was given
 */
public record LimitExceeded(String limit, long value, long max) {
    @Override
    public String toString() {
        return "{limit_exceeded," + limit + "," + value + ",max," + max + "}";
    }
}

package io.loomix;

/**
 * The Down of a monitor made with {@link MonitorOption#tag}: Erlang's {@code {Tag, Ref, process,
 * Object, Reason}}, where a plain monitor sends {@code {'DOWN', ...}} ({@link Down}).
 */
public record TaggedDown(Object tag, Ref ref, Object object, ExitReason reason) {}

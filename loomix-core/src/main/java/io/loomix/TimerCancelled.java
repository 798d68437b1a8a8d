package io.loomix;

import java.util.OptionalLong;

/**
 * The answer of {@link Process#cancelTimerAsync}: Erlang's {@code {cancel_timer, TimerRef, Result}}.
 *
 * @param timer the timer's ref
 * @param left  the milliseconds that were left, or empty if it had fired or was unknown
 */
public record TimerCancelled(Ref timer, OptionalLong left) {}

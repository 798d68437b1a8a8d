package io.loomix.dist;

import io.loomix.Atom;

/**
 * Erlang's {@code {nodedown, Node}}: the connection to {@code node} is gone, or could not be made
 * (see {@link Node#monitor} and {@link Node#monitorAll}). Messages sent to it while it was going
 * down may be lost: delivery is not guaranteed across a lost connection.
 *
 * @param reason why, in words (e.g. {@code net_tick_timeout}, {@code connection closed by the peer})
 */
public record NodeDown(Atom node, String reason) {}

package io.loomix.dist;

import io.loomix.Atom;

/** Erlang's {@code {nodeup, Node}}: a connection to {@code node} is up (see {@link Node#monitorAll}). */
public record NodeUp(Atom node) {}

package io.loomix.dist;

import java.io.Serializable;

/**
 * A process body that can be spawned on another Loomix node: write it as a lambda or method
 * reference whose class exists on both nodes. It travels as its class, method and captured values
 * (each captured value must be a term: numbers, strings, atoms, pids, tuples, lists, records of
 * the registry), never by Java serialization; see {@link Node#spawn(Atom, RemoteRunnable)}.
 */
@FunctionalInterface
public interface RemoteRunnable extends Runnable, Serializable {}

package io.loomix;

/**
 * The clauses of a {@code receive}: a function from a message to a result, written as a
 * pattern-matching {@code switch}. Returning {@code null} means "no clause matches": the message
 * stays in the mailbox, in its place, and the next one is tried.
 *
 * {@snippet :
 * String answer = receive(msg -> switch (msg) {
 *     case Ping(Pid from) -> { send(from, new Pong()); yield "ponged"; }
 *     case String s when s.startsWith("hi") -> s;
 *     default -> null;                         // leave anything else where it is
 * });
 * }
 *
 * <p>Erlang removes a message before the clause body runs, so an exception thrown here consumes
 * the message and propagates from {@code receive}.
 *
 * @param <R> what the receive evaluates to
 */
@FunctionalInterface
public interface Clauses<R> {
    /** The result of the matching clause, or {@code null} when none matches. */
    R match(Object message);
}

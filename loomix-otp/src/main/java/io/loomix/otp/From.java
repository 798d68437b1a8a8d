package io.loomix.otp;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;

/**
 * Who made a call, as a server's {@code handleCall} sees it: Erlang's {@code From}. Reply at once
 * by returning {@link GenServer#reply}, or keep the {@code From} and call {@link #reply} later
 * (a deferred reply), from the server or from any other process.
 *
 * <p>The reply goes to an alias the caller made for this one call, so a reply that comes after
 * the caller gave up (its call timed out) is dropped by the runtime, never left in its mailbox.
 *
 * @param pid the calling process
 * @param tag the caller's alias for this call; it also tags the reply
 */
public record From(Pid pid, Ref tag) {

    @Override
    public String toString() {
        return "{" + pid + "," + tag + "}";
    }

    /** Sends {@code value} as the answer to this call; does nothing if the caller stopped waiting. */
    public void reply(Object value) {
        Process.send(tag, new Gen.Reply(tag, value));
    }
}

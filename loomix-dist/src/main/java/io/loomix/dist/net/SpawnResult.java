package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;

/**
 * The answer to a spawn request this node sent, as a message to the requesting process (ERTS's
 * {@code {spawn_reply, ReqId, ok | error, Pid | Reason}}): the new pid, or why there is none
 * ({@code noconnection} when the node could not be reached or went down first).
 */
public record SpawnResult(Ref request, Pid pid, Atom error) {
    static final Atom NOCONNECTION = Atom.of("noconnection");
}

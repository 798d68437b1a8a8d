package io.loomix;

/** Options of {@link Process#alias(AliasOption)}, Erlang's {@code alias/1}. */
public enum AliasOption {
    /** Active until {@link Process#unalias} or the caller's exit (Erlang's default). */
    EXPLICIT_UNALIAS,
    /** Ends once one message sent through it has been delivered (Erlang's {@code reply}). */
    REPLY
}

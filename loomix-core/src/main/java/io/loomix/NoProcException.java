package io.loomix;


/** Erlang's {@code noproc} error: the operation needed a process that does not exist. */
public final class NoProcException extends RuntimeException {
    public NoProcException(String operation, Pid pid) {
        super("noproc: " + operation + " " + pid + ": no such process (it has exited or never existed)");
    }
}

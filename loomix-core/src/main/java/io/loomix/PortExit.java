package io.loomix;

/**
 * The program of a port opened with {@link PortOptions#exitStatus()} has exited: Erlang's
 * {@code {Port, {exit_status, Status}}}. It follows every {@link PortData} of the program; the
 * port then closes with reason {@code normal}. A program killed by a signal has status 128 + the
 * signal's number, as in Erlang and the shell.
 */
public record PortExit(Port port, int status) {}

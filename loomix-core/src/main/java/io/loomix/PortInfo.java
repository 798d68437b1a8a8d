package io.loomix;

import java.util.List;

/**
 * What {@link Port#info(Port)} tells about an open port: Erlang's {@code erlang:port_info/1}.
 * A moment's picture.
 *
 * @param port        the port
 * @param name        the command it runs
 * @param connected   its owner, which receives its messages
 * @param links       the processes linked to it
 * @param monitoredBy the processes that monitor it
 * @param osPid       the program's OS process id
 * @param input       bytes read from the program so far
 * @param output      bytes written to the program so far
 * @param queueSize   writes waiting for the program to read them
 */
public record PortInfo(Port port, String name, Pid connected, List<Pid> links, List<Pid> monitoredBy,
                       long osPid, long input, long output, int queueSize) {}

package io.loomix;

import io.loomix.internal.PortDriver;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A port: an external program run as if it were a process, Erlang's {@code open_port}. The
 * calling process becomes the port's owner (Erlang's "connected process"): what it sends the port
 * goes to the program's stdin, the program's stdout comes back as {@link PortData} messages, and
 * its exit as {@link PortExit} (with {@link PortOptions#exitStatus()}).
 *
 * {@snippet :
 * import static io.loomix.Process.*;
 *
 * Port cat = Port.open("cat", PortOptions.DEFAULT.line(80).exitStatus());
 * send(cat, "hello\n");
 * PortData line = receive(m -> m instanceof PortData d && d.port().equals(cat) ? d : null);
 * // line.text() is "hello"
 * Port.close(cat);
 * }
 *
 * <p>A port is linked to its owner from the start: when the owner exits, for any reason, the port
 * closes with the owner's reason, and the program is killed (SIGTERM, then SIGKILL after
 * {@link PortOptions#killGrace()}), with every process it started. Like a pid, a port can be
 * linked ({@link Process#link(Port)}), monitored ({@link Process#monitor(Port)}, whose
 * {@link Down} names the port) and sent an exit signal ({@link Process#exit(Port, Object)}).
 *
 * <p>Each port is backed by a Loomix process, {@link #pid()}, which holds its links and monitors;
 * a process that traps exits receives {@code Exit(port.pid(), reason)} when a linked port closes.
 * The pipes are read and written by virtual threads of the JDK's own scheduler, so a program that
 * neither reads nor writes never holds up a Loomix carrier.
 *
 * @param node the node the port lives on
 * @param id   its number on that node
 * @param pid  the process that stands for the port in links, monitors and exit signals
 */
public record Port(Atom node, long id, Pid pid) {

    public Port {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(pid, "pid");
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c}, as Erlang's {@code {spawn, Command}} does, as a
     * port owned by the calling process.
     *
     * @throws IllegalStateException        outside a process
     * @throws java.io.UncheckedIOException when the program cannot be started
     */
    public static Port open(String command, PortOptions options) {
        Objects.requireNonNull(command, "Port.open: command must not be null");
        return PortDriver.open(List.of("/bin/sh", "-c", command), command, options);
    }

    /**
     * Runs the program {@code argv.get(0)} with the arguments that follow, without a shell:
     * Erlang's {@code {spawn_executable, File}} with {@code {args, Args}}.
     *
     * @throws java.io.UncheckedIOException when the program cannot be started (Erlang's {@code enoent})
     */
    public static Port open(List<String> argv, PortOptions options) {
        Objects.requireNonNull(argv, "Port.open: argv must not be null");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("badarg: Port.open needs at least the program to run");
        }
        return PortDriver.open(List.copyOf(argv), argv.getFirst(), options);
    }

    /**
     * Erlang's {@code port_command/2}: writes {@code data} (a {@code byte[]} or a
     * {@link CharSequence}, written as UTF-8) to the program's stdin. Any process may call it.
     * Blocks while {@link PortOptions#maxPendingWrites()} writes wait for the program to read.
     *
     * @throws IllegalArgumentException (badarg) when the port is closed or data is of another type
     */
    public static void command(Port port, Object data) {
        PortDriver.command(Objects.requireNonNull(port, "command: port must not be null"), data, true);
    }

    /**
     * Erlang's {@code port_close/1}: closes the port, from any process. When it returns, the port
     * sends nothing more; its links see it exit with {@code normal}; the program is killed.
     *
     * @throws IllegalArgumentException (badarg) when the port is already closed
     */
    public static void close(Port port) {
        PortDriver.close(Objects.requireNonNull(port, "close: port must not be null"));
    }

    /**
     * Erlang's {@code port_connect/2}: makes {@code newOwner} the port's owner, which receives its
     * messages from now on, and links it to the port. The old owner stays linked, as in Erlang:
     * it may {@link Process#unlink(Port) unlink}.
     *
     * @throws IllegalArgumentException (badarg) when the port is closed or {@code newOwner} is not alive
     */
    public static void connect(Port port, Pid newOwner) {
        PortDriver.connect(Objects.requireNonNull(port, "connect: port must not be null"),
                Objects.requireNonNull(newOwner, "connect: new owner must not be null"));
    }

    /** Erlang's {@code port_info/1}: empty when the port is closed. */
    public static Optional<PortInfo> info(Port port) {
        return Optional.ofNullable(PortDriver.info(Objects.requireNonNull(port, "info: port must not be null")));
    }

    /** The ports open on this node (Erlang's {@code erlang:ports/0}). */
    public static List<Port> list() {
        return PortDriver.all();
    }

    /** As Erlang prints a port: {@code #Port<0.5>}. */
    @Override
    public String toString() {
        return "#Port<" + LocalNode.printIndex(node, pid.creation()) + "." + id + ">";
    }
}

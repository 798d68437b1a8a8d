package io.loomix.shell;

import io.loomix.Atom;
import io.loomix.Clauses;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.ProcessInfo;
import io.loomix.Ref;
import io.loomix.code.Code;
import io.loomix.code.Loaded;
import io.loomix.code.NlResult;
import io.loomix.observer.Observer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shell's helpers, imported into every snippet ({@code import static io.loomix.shell.Helpers.*}):
 * Erlang's shell functions for a Java node. They run in the shell process, so {@code self()} is
 * the shell's pid and {@code receive()} reads its mailbox.
 */
public final class Helpers {
    private Helpers() {}

    // ---- processes ----

    /** The shell process. */
    public static Pid self() {
        return Process.self();
    }

    /** Sends {@code message} to a pid, a registered name (String or Atom), a {@link Name} or an alias. */
    public static Object send(Object dest, Object message) {
        return switch (dest) {
            case Pid p -> Process.send(p, message);
            case String s -> Process.send(s, message);
            case Atom a -> Process.send(a, message);
            case Name n -> Process.send(n, message);
            case Ref r -> Process.send(r, message);
            case null, default -> throw new IllegalArgumentException("send: a destination is a Pid, a registered name"
                    + " (String or Atom), a Name or an alias Ref; got " + dest);
        };
    }

    /** The oldest message in the shell's mailbox; waits for one. */
    public static Object receive() {
        return Process.receive();
    }

    /** The oldest message, or null after {@code timeoutMillis}. */
    public static Object receive(long timeoutMillis) {
        return Process.receive(Duration.ofMillis(timeoutMillis), m -> m, () -> null);
    }

    /** Selective receive: the oldest message {@code clauses} match; see {@link Process#receive(Clauses)}. */
    public static <R> R receive(Clauses<? extends R> clauses) {
        return Process.receive(clauses);
    }

    /** Erlang's {@code flush()}: prints and removes every message in the shell's mailbox. */
    public static void flush() {
        for (Object m : Process.flush()) {
            System.out.println("Shell got " + m);
        }
    }

    /** Ends the shell process with {@code reason}; a new shell process takes over. */
    public static RuntimeException exit(Object reason) {
        return Process.exit(reason);
    }

    /** Sends an exit signal to {@code pid}. */
    public static void exit(Pid pid, Object reason) {
        Process.exit(pid, reason);
    }

    public static void link(Pid pid) {
        Process.link(pid);
    }

    public static Ref monitor(Pid pid) {
        return Process.monitor(pid);
    }

    public static boolean trapExit(boolean on) {
        return Process.trapExit(on);
    }

    public static void register(String name, Pid pid) {
        Process.register(name, pid);
    }

    public static Optional<Pid> whereis(String name) {
        return Process.whereis(name);
    }

    public static Ref makeRef() {
        return Process.makeRef();
    }

    public static Pid spawn(Runnable body) {
        return Process.spawn(body);
    }

    public static Pid spawnLink(Runnable body) {
        return Process.spawnLink(body);
    }

    // ---- code ----

    /** Compiles and loads a Java file or directory; afterwards the module's name in snippets calls its current version. */
    public static List<Loaded> c(String file) {
        List<Loaded> loaded = Code.c(file);
        Shell.current().declareFacades(loaded);
        return loaded;
    }

    /** Loads the current version of {@code module} on every connected node. */
    public static List<NlResult> nl(String module) {
        Optional<Distribution> dist = Shell.current().distribution();
        if (dist.isEmpty()) {
            System.out.println("nl: this node is not distributed (start the shell with --sname NAME, which needs"
                    + " loomix-dist), so " + module + " was loaded nowhere else");
            return List.of();
        }
        List<NlResult> results = Code.nl(module, dist.get().peers());
        for (NlResult r : results) {
            if (r instanceof NlResult.Skipped(String node, String why)) {
                System.out.println("nl: skipped " + node + ": " + why);
            }
        }
        return results;
    }

    /** {@link #nl(String)} for a module named by its class (or, in a snippet, by the name the shell declared for it). */
    public static List<NlResult> nl(Class<?> module) {
        return nl(Shell.current().moduleOf(module));
    }

    // ---- looking around ----

    /** Erlang's {@code i()}: a table of the node's processes. */
    public static void i() {
        System.out.print(Tables.processes(Process.list()));
    }

    /** Erlang's {@code i(Pid)}: everything known about one process. */
    public static void i(Pid pid) {
        Objects.requireNonNull(pid, "i: pid must not be null");
        Optional<ProcessInfo> info = Process.info(pid);
        if (info.isEmpty()) {
            System.out.println(pid + " is not alive");
            return;
        }
        System.out.print(Tables.process(info.get(), Process.stacktrace(pid).orElse(List.of())));
    }

    /** Erlang's {@code regs()}: the registered names and their processes. */
    public static void regs() {
        List<String> rows = new ArrayList<>();
        for (Atom name : Process.registered()) {
            Process.whereis(name).ifPresent(pid -> rows.add(String.format("%-24s %s", name, pid)));
        }
        rows.sort(null);
        System.out.println(rows.isEmpty() ? "(no registered processes)" : String.join(System.lineSeparator(), rows));
    }

    /**
     * Erlang's {@code observer()}: starts this node's observer (a web page; once per node) on a free
     * port of the loopback interface and prints its address; open it in a browser.
     */
    public static URI observer() {
        return observer(0);
    }

    /** {@link #observer()} on {@code port} (0: any free one); an observer already running stays where it is. */
    public static URI observer(int port) {
        Optional<Observer> running = Observer.running();
        Observer o;
        if (running.isPresent()) {
            o = running.get();
        } else {
            Optional<Distribution> dist = Shell.current().distribution();
            o = Observer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    () -> dist.map(Distribution::nodes).orElse(List.of()));
        }
        System.out.println("observer: open " + o.uri() + " in a browser"
                + (running.isPresent() && port != 0 && port != o.uri().getPort()
                        ? " (it was already running there, so not on port " + port + ")" : ""));
        return o.uri();
    }

    /** What the shell offers. */
    public static void help() {
        System.out.print("""
                Java statements, expressions and declarations run in this node, in the shell process.
                  self()                  the shell process's pid (the same from one snippet to the next)
                  send(dest, msg)         to a Pid, a registered name, a Name or an alias
                  receive()  receive(ms)  the oldest message (waits; or null after ms)
                  receive(m -> ...)       selective receive: a clause that returns null leaves the message
                  flush()                 prints and removes every message in the shell's mailbox
                  spawn(() -> ...)  spawnLink(() -> ...)
                  c("Spin.java")  c("dir")   compile and load; then Spin.start() calls the current version
                  nl("Spin")  nl(Spin.class) load Spin's current version on every connected node
                  Code.which("Spin")  Code.allLoaded()  Code.purge("Spin")  Code.softPurge("Spin")
                  i()  i(pid)  regs()     processes, one process, registered names
                  observer()  observer(port)  the node's observer, a web page: prints its address
                  Node.self()  Node.list()  Node.ping("b@host")  Node.spawn("b@host", "Spin", "start")
                  help()  q()             this text; halt the node (as Ctrl-D)
                Tab completes; an unfinished statement continues on the next line; Ctrl-C stops the
                running snippet (killing the shell process if it waits in receive), not the node.
                """);
    }

    /** Halts the node once this snippet is done (Ctrl-D does the same). */
    public static void q() {
        Shell.current().requestHalt();
    }

    /** Erlang's {@code node()}, {@code nodes()}, {@code net_adm:ping} and {@code spawn/4}, through distribution. */
    public static final class Node {
        private Node() {}

        public static String self() {
            return Shell.current().distribution().map(Distribution::node).orElse("nonode@nohost");
        }

        public static List<String> list() {
            return Shell.current().distribution().map(Distribution::nodes).orElse(List.of());
        }

        public static boolean ping(String node) {
            return dist("Node.ping").ping(node);
        }

        public static Pid spawn(String node, String module, String function, Object... args) {
            return dist("Node.spawn").spawn(node, module, function, args == null ? List.of() : List.of(args));
        }

        public static Pid spawn(String node, Class<?> module, String function, Object... args) {
            return spawn(node, Shell.current().moduleOf(module), function, args);
        }

        private static Distribution dist(String what) {
            return Shell.current().distribution().orElseThrow(() -> new IllegalStateException(what
                    + ": this node is not distributed; start the shell with --sname NAME or --name NAME@HOST"
                    + " (needs loomix-dist, which is not in this build)"));
        }
    }
}

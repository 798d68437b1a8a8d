package io.loomix.cli;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Tuple;
import io.loomix.dist.Gossip;
import io.loomix.dist.Node;
import io.loomix.dist.NodeDown;
import io.loomix.dist.NodeUp;
import io.loomix.dist.Rpc;
import io.loomix.otp.GenServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.loomix.Process.*;

/**
 * {@code ./loomix demo cluster}: the talk's distributed demos in one terminal. Two more nodes
 * start in JVMs of their own with {@code --autocluster} and Grepex, this node finds them by
 * gossip (Demo 3), searches them the talk's ways (Demo 2: rpc, a cast to {@code IxQuick}, a
 * process spawned there), and sees one of them killed. The nodes gossip on the loopback
 * interface, on a free port, so the demo joins no cluster on the network.
 */
final class ClusterDemo {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final PrintStream out;
    private final List<java.lang.Process> started = new ArrayList<>();

    ClusterDemo(PrintStream out) {
        this.out = out;
    }

    static void main(String[] args) {
        // The node's log lines, one each, marked as such; a set property wins.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "  (log) %5$s%n");
        }
        new ClusterDemo(System.out).runAll();
    }

    void runAll() {
        int port;
        try (var s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free UDP port for the demo's gossip: " + e.getMessage(), e);
        }
        Gossip.Options gossip = Gossip.Options.DEFAULT.onInterface("127.0.0.1").withPort(port)
                .withMaxInterval(Duration.ofMillis(500));
        try {
            Atom me = Node.start("demo", "codecamp");
            out.println("== Loomix cluster demo: the talk's nodes, in one terminal ==");
            out.println("this node: " + me);
            List<String> names = List.of("node2", "node3");
            for (String n : names) {
                started.add(startNode(n, port));
            }
            run(() -> {
                autocluster(gossip, names.size());
                grepex(Atom.of("node2@" + host(me)), Atom.of("node3@" + host(me)));
                nodeDown(Atom.of("node3@" + host(me)));
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (java.lang.Process p : started) {
                p.destroyForcibly();
            }
            Node.stop();
        }
        out.println("== done ==");
    }

    private void autocluster(Gossip.Options gossip, int others) {
        out.println("\n-- Demo 3. Autocluster: gossip on " + gossip.group().getHostAddress() + ":" + gossip.port()
                + " (loopback), no names given");
        Node.monitorAll();
        try {
            Gossip.start(gossip);
        } catch (IOException e) {
            throw new IllegalStateException("gossip could not start: " + e.getMessage(), e);
        }
        Set<String> up = new TreeSet<>();
        while (up.size() < others) {
            Object m = receive(WAIT, x -> x instanceof NodeUp u ? u : null, () -> null);
            if (m == null) {
                throw new IllegalStateException("the other nodes were not found within " + WAIT + "; connected: " + Node.list());
            }
            up.add(((NodeUp) m).node().name());
        }
        out.println("found and connected: " + up);
        out.println("Node.list() = " + new TreeSet<>(Node.list().stream().map(Atom::name).toList()));
    }

    private void grepex(Atom node2, Atom node3) {
        out.println("\n-- Demo 2. Grepex: search the other nodes the talk's ways");
        Object count = Rpc.call(node2, Atom.of(Grepex.class.getName()), Atom.of("search"), List.of(List.of("elixir"), self()), WAIT);
        out.println(":rpc.call(node2, Grepex, :search, [[\"elixir\"], self()]) = " + count);
        printResults();
        GenServer.cast(Name.of("Elixir.IxQuick", node3.name()), Tuple.of(Atom.of("search"), List.of("crash"), self()));
        out.println("GenServer.cast({IxQuick, node3}, {:search, [\"crash\"], self()})");
        printResults();
        Pid searcher = Node.spawn(node2, Atom.of(Grepex.class.getName()), Atom.of("run"), List.of());
        out.println("Node.spawn(node2, Grepex, :run, []) = " + searcher);
        send(searcher, Tuple.of(Atom.of("search"), List.of("epmd"), self()));
        printResults();
    }

    /** Prints the {result, ...} messages up to the {done, Node, Count}. */
    private void printResults() {
        while (true) {
            Object m = receive(WAIT, x -> x instanceof Tuple t && (t.get(0) == Atom.of("result") || t.get(0) == Atom.of("done")) ? t : null,
                    () -> null);
            if (m == null) {
                throw new IllegalStateException("no search results within " + WAIT);
            }
            Tuple t = (Tuple) m;
            if (t.get(0) == Atom.of("done")) {
                out.println("  done: " + t.get(2) + " from " + t.get(1));
                return;
            }
            out.println("  " + t.get(1) + " " + t.get(2) + ": " + t.get(3));
        }
    }

    private void nodeDown(Atom node3) {
        out.println("\n-- A node goes: node3's JVM is killed");
        started.get(1).destroyForcibly();
        Object down = receive(WAIT, x -> x instanceof NodeDown d && d.node().equals(node3) ? d : null, () -> null);
        out.println(down == null ? "no nodedown within " + WAIT : "nodedown: " + ((NodeDown) down).node());
        out.println("Node.list() = " + Node.list().stream().map(Atom::name).toList());
    }

    /** {@code loomix node --sname NAME --autocluster ... --main Grepex} in a JVM like this one; ready when it says so. */
    private java.lang.Process startNode(String name, int port) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "node",
                "--sname", name, "--cookie", "codecamp", "--autocluster", "--autocluster-if", "127.0.0.1",
                "--autocluster-port", Integer.toString(port), "--main", Grepex.class.getName()));
        java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var ready = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = lines.readLine()) != null; ) {
                    if (l.startsWith("grepex ready")) {
                        return l;
                    }
                }
            } catch (IOException e) {
                return e.toString();
            }
            return "it ended";
        });
        try {
            String said = ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (!said.startsWith("grepex ready")) {
                throw new IllegalStateException("node " + name + " did not start: " + said);
            }
            out.println("started " + name + " in its own JVM (pid " + p.pid() + "): " + said);
            Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(l -> { })); // keep its pipe drained
            return p;
        } catch (InterruptedException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + name + " did not start within " + WAIT, e);
        }
    }

    private static String host(Atom node) {
        return node.name().substring(node.name().indexOf('@') + 1);
    }
}

package io.loomix.cli;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;
import io.loomix.dist.Rpc;
import io.loomix.otp.GenServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The talk's Demo 2 as it scripts it: a Loomix node started with {@code --main io.loomix.cli.Grepex}
 * answers the talk's own iex lines ({@code :rpc.call}, {@code GenServer.cast({IxQuick, node}, ...)},
 * {@code Node.spawn}) from a real elixir node, and the same from a Loomix node in Java.
 */
class GrepexTest {
    private static final String HOST = shortHost();
    private java.lang.Process epmd;
    private java.lang.Process node2;
    private int epmdPort;

    @BeforeEach
    void startNode2() throws Exception {
        try (var s = new ServerSocket(0)) {
            epmdPort = s.getLocalPort();
        }
        epmd = new ProcessBuilder("epmd", "-port", Integer.toString(epmdPort)).redirectErrorStream(true).start();
        NodeCommandTest.awaitListening(epmdPort);
        node2 = NodeCommandTest.loomixNode(epmdPort, "--sname", "node2", "--cookie", "codecamp", "--main", Grepex.class.getName());
        var out = new BufferedReader(new InputStreamReader(node2.getInputStream(), StandardCharsets.UTF_8));
        var ready = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            List<String> seen = new ArrayList<>();
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    if (l.startsWith("grepex ready")) {
                        return l;
                    }
                    seen.add(l);
                }
            } catch (IOException e) {
                seen.add(e.toString());
            }
            return String.join("\n", seen);
        });
        assertEquals("grepex ready on node2@" + HOST, ready.get(60, TimeUnit.SECONDS));
    }

    @AfterEach
    void stopAll() throws Exception {
        node2.destroyForcibly();
        node2.waitFor(10, TimeUnit.SECONDS);
        epmd.destroyForcibly();
        epmd.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void theTalksLinesFromIexReachTheLoomixNode() throws Exception {
        String node = ":\"node2@" + HOST + "\"";
        String code = "node = " + node + "\n"
                + "true = Node.connect(node)\n"
                + "IO.inspect(:rpc.call(node, :\"io.loomix.cli.Grepex\", :search, [[\"elixir\"], self()]), label: \"rpc\")\n"
                + "GenServer.cast({IxQuick, node}, {:search, [\"crash\"], self()})\n"
                + "pid = Node.spawn(node, :\"io.loomix.cli.Grepex\", :run, [])\n"
                + "send(pid, {:search, [\"epmd\"], self()})\n"
                // the node's name printed as "node2", so that the lines do not depend on the host
                + "show = fn m -> IO.puts(inspect(put_elem(m, 1, (if elem(m, 1) == node, do: :node2, else: elem(m, 1))), width: :infinity)) end\n"
                + "wait = fn\n"
                + "  _, 0 -> :ok\n"
                + "  w, n -> receive do\n"
                + "    {:done, _, _} = m -> show.(m); w.(w, n - 1)\n"
                + "    m -> show.(m); w.(w, n)\n"
                + "  after 20_000 -> IO.puts(\"timeout\")\n"
                + "  end\n"
                + "end\n"
                + "wait.(wait, 3)\n";
        var builder = new ProcessBuilder(List.of("elixir", "--sname", "node1", "--cookie", "codecamp", "-e", code))
                .redirectErrorStream(true);
        builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        builder.environment().put("ELIXIR_ERL_OPTIONS", "-start_epmd false");
        java.lang.Process iex = builder.start();
        List<String> lines = new ArrayList<>();
        try (var out = new BufferedReader(new InputStreamReader(iex.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = out.readLine()) != null; ) {
                lines.add(l);
            }
        } finally {
            assertTrue(iex.waitFor(60, TimeUnit.SECONDS), "elixir did not end: " + lines);
        }
        String n2 = ":node2";
        String lifespan = "{:result, " + n2 + ", \"lifespan.md\", ";
        // The cast's answers and the spawned searcher's come from two processes: in either order.
        assertEquals(sorted(List.of(
                lifespan + "\"Monitoring handles exit events instead of crashing, as Elixir and Erlang do with trap_exit\"}",
                "{:done, " + n2 + ", 1}",
                "rpc: 1",
                lifespan + "\"Linking connects one process to another: if one exits abnormally, the linked one crashes too\"}",
                lifespan + "\"Monitoring handles exit events instead of crashing, as Elixir and Erlang do with trap_exit\"}",
                "{:done, " + n2 + ", 2}",
                "{:result, " + n2 + ", \"distribution.md\", \"epmd -names lists the nodes of a host\"}",
                "{:done, " + n2 + ", 1}")), sorted(lines.stream().filter(l -> l.startsWith("{:") || l.startsWith("rpc:")).toList()),
                String.join("\n", lines));
    }

    @Test
    void aLoomixNodeCallsCastsAndSpawnsTheSameWay() {
        Node.start("node1", "codecamp", NodeOptions.DEFAULT.withEpmdPort(epmdPort));
        try {
            Atom node2 = Atom.of("node2@" + HOST);
            List<Object> got = Process.run(() -> {
                Object count = Rpc.call(node2.name(), Grepex.class, "search", List.of(List.of("elixir"), Process.self()),
                        Duration.ofSeconds(20));
                GenServer.cast(Name.of("Elixir.IxQuick", node2.name()), Tuple.of(Atom.of("search"), List.of("crash"), Process.self()));
                var pid = Node.spawn(node2.name(), Grepex.class, "run", List.of());
                Process.send(pid, Tuple.of(Atom.of("search"), List.of("epmd"), Process.self()));
                List<Object> all = new ArrayList<>(List.of(count));
                for (int done = 0; done < 3; ) {
                    Object m = Process.receive(Duration.ofSeconds(20), x -> x, () -> "timeout");
                    all.add(m);
                    if (m instanceof Tuple t && t.get(0) == Atom.of("done") || "timeout".equals(m)) {
                        done++;
                    }
                }
                return all;
            });
            assertEquals(1L, got.get(0), "rpc's value: how many lines matched");
            long results = got.stream().filter(m -> m instanceof Tuple t && t.get(0) == Atom.of("result")).count();
            assertEquals(4, results, got.toString());
            assertTrue(got.contains(Tuple.of(Atom.of("result"), node2, "distribution.md", "epmd -names lists the nodes of a host")),
                    got.toString());
        } finally {
            Node.stop();
        }
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

    private static String shortHost() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot < 0 ? h : h.substring(0, dot);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

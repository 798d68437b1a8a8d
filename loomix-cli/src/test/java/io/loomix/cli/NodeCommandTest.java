package io.loomix.cli;

import io.loomix.dist.epmd.EpmdClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code loomix node} in a JVM of its own: up and registered with epmd, its observer answering, gone from epmd after SIGTERM. */
class NodeCommandTest {
    @Test
    void aNodeRegistersAndUnregistersOnSigterm() throws Exception {
        int epmdPort;
        try (var s = new ServerSocket(0)) {
            epmdPort = s.getLocalPort();
        }
        Process epmd = new ProcessBuilder("epmd", "-port", Integer.toString(epmdPort)).redirectErrorStream(true).start();
        Process node = null;
        try {
            awaitListening(epmdPort);
            node = loomixNode(epmdPort, "--sname", "clinode", "--cookie", "c", "--observer", "0");
            var out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            for (int skipped = 0; line != null && !line.startsWith("loomix node") && skipped < 50; skipped++) {
                line = out.readLine(); // log lines of the JVM's start, if any
            }
            assertTrue(line != null && line.startsWith("loomix node clinode@") && line.endsWith("is up (stop it with Ctrl-C or SIGTERM)"),
                    String.valueOf(line));
            String observed = out.readLine();
            assertTrue(observed != null && observed.startsWith("observer at http://127.0.0.1:"), String.valueOf(observed));
            var system = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(observed.substring("observer at ".length()) + "api/system")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, system.statusCode());
            assertTrue(system.body().contains("\"node\":\"clinode@"), "the observer shows the node's name: " + system.body());
            var client = EpmdClient.local(epmdPort);
            assertTrue(client.lookup("clinode").isPresent(), "registered with epmd");
            node.destroy(); // SIGTERM
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node exits on SIGTERM");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (client.lookup("clinode").isPresent()) {
                assertTrue(System.nanoTime() < deadline, "still registered 10 s after the node exited");
                Thread.onSpinWait();
            }
            assertEquals(143, node.exitValue(), "exit code of a JVM ended by SIGTERM");
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
            epmd.destroyForcibly();
            epmd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code loomix node --autocluster} on the loopback interface: a node of this JVM that gossips on
     * the same group and port finds it and connects, with no name given either way.
     */
    @Test
    void anAutoclusterNodeIsFoundByAnotherThatGossips() throws Exception {
        int epmdPort;
        int gossipPort;
        try (var s = new ServerSocket(0); var d = new java.net.DatagramSocket(0)) {
            epmdPort = s.getLocalPort();
            gossipPort = d.getLocalPort();
        }
        Process epmd = new ProcessBuilder("epmd", "-port", Integer.toString(epmdPort)).redirectErrorStream(true).start();
        Process node = null;
        try {
            awaitListening(epmdPort);
            node = loomixNode(epmdPort, "--sname", "auto1", "--cookie", "c",
                    "--autocluster", "--autocluster-if", "127.0.0.1", "--autocluster-port", Integer.toString(gossipPort));
            var out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            for (int skipped = 0; line != null && !line.startsWith("autocluster") && skipped < 50; skipped++) {
                line = out.readLine();
            }
            assertEquals("autocluster: gossiping on 233.252.1.32:" + gossipPort + " via 127.0.0.1", line);
            io.loomix.dist.Node.start("auto2", "c", io.loomix.dist.NodeOptions.DEFAULT.withEpmdPort(epmdPort));
            try {
                io.loomix.dist.Gossip.start(io.loomix.dist.Gossip.Options.DEFAULT.withPort(gossipPort)
                        .onInterface("127.0.0.1").withMaxInterval(Duration.ofMillis(200)));
                Object up = io.loomix.Process.run(() -> {
                    io.loomix.dist.Node.monitorAll();
                    if (io.loomix.dist.Node.list().stream().anyMatch(n -> n.name().startsWith("auto1@"))) {
                        return "connected";
                    }
                    return io.loomix.Process.receive(Duration.ofSeconds(30), m -> m instanceof io.loomix.dist.NodeUp u
                            && u.node().name().startsWith("auto1@") ? "connected" : null, () -> "no NodeUp of auto1 in 30 s");
                });
                assertEquals("connected", up);
            } finally {
                io.loomix.dist.Gossip.stop();
                io.loomix.dist.Node.stop();
            }
        } finally {
            if (node != null) {
                node.destroyForcibly();
                node.waitFor(10, TimeUnit.SECONDS);
            }
            epmd.destroyForcibly();
            epmd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code loomix node ARGS} in a JVM of its own, on the epmd at {@code epmdPort}; stdout and stderr merged. */
    static Process loomixNode(int epmdPort, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var cmd = new java.util.ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED", "-cp", classPath(), Main.class.getName(), "node"));
        cmd.addAll(List.of(args));
        var builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        return builder.start();
    }

    /** The test's own classes and dependencies as a class path: the tests may run on the module path. */
    static String classPath() {
        return java.util.stream.Stream.of(System.getProperty("java.class.path"), System.getProperty("jdk.module.path"))
                .filter(p -> p != null && !p.isEmpty())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** epmd says nothing once it listens: try until it answers (bounded). */
    static void awaitListening(int port) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (var s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }
}

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
            String java = ProcessHandle.current().info().command().orElse("java");
            var builder = new ProcessBuilder(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                    "-cp", classPath(), Main.class.getName(),
                    "node", "--sname", "clinode", "--cookie", "c", "--observer", "0")).redirectErrorStream(true);
            builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
            node = builder.start();
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

    /** The test's own classes and dependencies as a class path: the tests may run on the module path. */
    private static String classPath() {
        return java.util.stream.Stream.of(System.getProperty("java.class.path"), System.getProperty("jdk.module.path"))
                .filter(p -> p != null && !p.isEmpty())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** epmd says nothing once it listens: try until it answers (bounded). */
    private static void awaitListening(int port) throws IOException {
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

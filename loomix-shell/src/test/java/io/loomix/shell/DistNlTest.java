package io.loomix.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nl} between two shells in two JVMs, each a node (--sname), through a private epmd: shell A
 * compiles Greeter, {@code nl}s it, and asks shell B (which never saw the source) to call it.
 */
@Timeout(300)
class DistNlTest {
    @TempDir
    Path dir;

    @Test
    void nlLoadsAModuleInAnotherJvmsShellWhichThenRunsItAndSpawnsIt() throws Exception {
        Path greeter = dir.resolve("Greeter.java");
        Files.writeString(greeter, "public class Greeter { public static String hi() { return \"hello from nl\"; }\n"
                + " public static void tell(io.loomix.Pid to) { io.loomix.Process.send(to, \"spawned on \" + io.loomix.Process.node()); } }\n");
        int epmdPort;
        try (var s = new ServerSocket(0)) {
            epmdPort = s.getLocalPort();
        }
        List<java.lang.Process> started = new ArrayList<>();
        try {
            started.add(new ProcessBuilder("epmd", "-port", Integer.toString(epmdPort)).redirectErrorStream(true).start());
            awaitListening(epmdPort);
            java.lang.Process b = shell(epmdPort, "nlb", dir.resolve("b.out"),
                    "register(\"nlb_shell\", self()); var go = (Tuple) receive(); send((Pid) go.get(0), Code.mod(\"Greeter\").call(\"hi\"));"
                            + " Object bye = receive(60000)"); // stays up for A's spawn
            started.add(b);
            String path = greeter.toString().replace("\\", "\\\\");
            java.lang.Process a = shell(epmdPort, "nla", dir.resolve("a.out"),
                    "String other = Node.self().replace(\"nla@\", \"nlb@\");"
                            + " for (int i = 0; i < 150 && !Node.ping(other); i++) Process.sleep(Duration.ofMillis(200));"
                            + " c(\"" + path + "\");"
                            + " List<NlResult> loaded = nl(\"Greeter\");"
                            + " send(Name.of(\"nlb_shell\", other), Tuple.of(self(), \"go\"));"
                            + " Object answer = receive(30000);"
                            + " Pid spawned = Node.spawn(other, \"Greeter\", \"tell\", self());"
                            + " Object told = receive(30000);"
                            + " send(Name.of(\"nlb_shell\", other), \"bye\")");
            started.add(a);
            assertTrue(a.waitFor(180, TimeUnit.SECONDS), "shell A finished");
            String outA = Files.readString(dir.resolve("a.out"), StandardCharsets.UTF_8);
            assertEquals(0, a.exitValue(), outA);
            assertTrue(outA.contains("loaded ==> [Done[node=nlb@") && outA.contains("module=Greeter, vsn=1"), outA);
            assertTrue(outA.contains("answer ==> \"hello from nl\""), "shell B ran the module nl brought: " + outA);
            assertTrue(outA.contains("told ==> \"spawned on nlb@"), "Node.spawn ran the module nl brought on B: " + outA);
            assertTrue(b.waitFor(60, TimeUnit.SECONDS), "shell B finished");
            assertEquals(0, b.exitValue(), Files.readString(dir.resolve("b.out"), StandardCharsets.UTF_8));
        } finally {
            for (java.lang.Process p : started.reversed()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static java.lang.Process shell(int epmdPort, String name, Path out, String eval) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ShellMain.class.getName(),
                "--sname", name, "--cookie", "nltest", "--eval", eval))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        return builder.start();
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

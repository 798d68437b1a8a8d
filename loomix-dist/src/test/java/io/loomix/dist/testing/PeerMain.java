package io.loomix.dist.testing;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;

import java.io.IOException;

/**
 * A second Loomix node in its own JVM, for Loomix-to-Loomix tests: {@code PeerMain NAME COOKIE EPMD_PORT}.
 * Registers {@code echo} ({From, Msg} -> {reply, Msg}), prints "ready NODE", and exits when its
 * stdin closes.
 */
public final class PeerMain {
    private PeerMain() {}

    public static void main(String[] args) throws IOException {
        Atom me = Node.start(args[0], args[1], NodeOptions.DEFAULT.withEpmdPort(Integer.parseInt(args[2])));
        Pid echo = Process.spawn(() -> {
            while (true) {
                if (Process.receive() instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Pid from) {
                    Process.send(from, Tuple.of(Atom.of("reply"), t.get(1)));
                }
            }
        });
        Process.register("echo", echo);
        // {From, link} links to From and answers {linked, Self}; {exit, Reason} exits with Reason
        Pid victim = Process.spawn(() -> {
            while (true) {
                if (Process.receive() instanceof Tuple t && t.size() == 2) {
                    if (t.get(0) instanceof Pid from && t.get(1) == Atom.of("link")) {
                        Process.link(from);
                        Process.send(from, Tuple.of(Atom.of("linked"), Process.self()));
                    } else if (t.get(0) == Atom.of("exit")) {
                        throw Process.exit(t.get(1));
                    }
                }
            }
        });
        Process.register("victim", victim);
        Integer gossipPort = Integer.getInteger("peer.gossipPort");
        if (gossipPort != null) {
            io.loomix.dist.Gossip.start(io.loomix.dist.Gossip.Options.DEFAULT.withPort(gossipPort)
                    .onInterface("127.0.0.1").withMaxInterval(java.time.Duration.ofMillis(200)));
        }
        System.out.println("ready " + me.name());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the test closes our stdin or kills us
        }
        Node.stop();
        System.exit(0);
    }

    /** The command that runs a peer with the tests' classpath. */
    public static java.util.List<String> command(String name, String cookie, int epmdPort) {
        return command(name, cookie, epmdPort, new String[0]);
    }

    /** The same, with JVM options such as {@code -Dpeer.gossipPort=N} (the peer then gossips on 127.0.0.1). */
    public static java.util.List<String> command(String name, String cookie, int epmdPort, String... jvmOptions) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        var cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Dloomix.strict=true"));
        cmd.addAll(java.util.List.of(jvmOptions));
        cmd.addAll(java.util.List.of("-cp", classPath(), PeerMain.class.getName(), name, cookie,
                Integer.toString(epmdPort)));
        return cmd;
    }

    /** The tests' class path, plus the module path the build may have put the modules on. */
    private static String classPath() {
        String modules = System.getProperty("jdk.module.path", "");
        String cp = System.getProperty("java.class.path");
        return modules.isEmpty() ? cp : cp + java.io.File.pathSeparator + modules;
    }
}

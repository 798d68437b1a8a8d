package io.loomix.dist.testing;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.dist.Global;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Loomix node in its own JVM for the global tests: {@code GlobalPeer NAME COOKIE EPMD_PORT}.
 * Prints "ready NODE", then answers one command per stdin line with one line:
 * {@code register N} -> "registered N yes|no PID", {@code where N} -> "where N PID|undefined",
 * {@code gone N} -> "gone N PID|undefined" (after waiting up to 10 s for the name to go),
 * {@code sync} -> "synced true|false", {@code connect NODE} -> "connected true|false",
 * {@code alive N} -> "alive N true|false" (the process this peer spawned for {@code register N}),
 * {@code race N1,N2,..} -> "raced N1 yes|no PID N2 ..." (each registered from its own process at once).
 * Pids print as node/id/serial, the same in every JVM.
 */
public final class GlobalPeer {
    private GlobalPeer() {}

    public static void main(String[] args) throws IOException {
        Atom me = Node.start(args[0], args[1], NodeOptions.DEFAULT.withEpmdPort(Integer.parseInt(args[2])));
        System.out.println("ready " + me.name());
        System.out.flush();
        var spawned = new java.util.HashMap<String, Pid>();
        var in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split(" ");
            String out = switch (w[0]) {
                case "register" -> {
                    Pid p = Process.spawn(() -> Process.receive(m -> m == Atom.of("stop") ? m : null));
                    spawned.put(w[1], p);
                    yield "registered " + w[1] + " " + (Global.register(w[1], p) ? "yes" : "no") + " " + show(Optional.of(p));
                }
                case "race" -> race(w[1].split(","));
                case "alive" -> "alive " + w[1] + " " + Process.alive(spawned.get(w[1]));
                case "where" -> "where " + w[1] + " " + show(Global.whereis(w[1]));
                case "gone" -> "gone " + w[1] + " " + show(gone(w[1]));
                case "sync" -> "synced " + Global.sync(Duration.ofSeconds(30));
                case "connect" -> "connected " + Node.connect(w[1]);
                default -> "unknown command " + line;
            };
            System.out.println(out);
            System.out.flush();
        }
        Node.stop();
        System.exit(0);
    }

    /** Registers each name from its own process at once; "raced N1 yes|no PID N2 ..." in the given order. */
    private static String race(String[] names) {
        List<Pid> racers = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentHashMap<String, String> results = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(names.length);
        for (String n : names) {
            racers.add(Process.spawn(() -> {
                Pid p = Process.spawn(() -> Process.receive(m -> m == Atom.of("stop") ? m : null));
                results.put(n, (Global.register(n, p) ? "yes " : "no ") + show(Optional.of(p)));
                done.countDown();
            }));
        }
        try {
            if (!done.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                return "raced timeout";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "raced interrupted";
        }
        StringBuilder out = new StringBuilder("raced");
        for (String n : names) {
            out.append(' ').append(n).append(' ').append(results.get(n));
        }
        return out.toString();
    }

    /** Waits (bounded) for a name to go: no message says when another node's name server saw a DOWN. */
    private static Optional<Pid> gone(String name) {
        for (int i = 0; i < 500; i++) {
            Optional<Pid> p = Global.whereis(name);
            if (p.isEmpty()) {
                return p;
            }
            Process.run(() -> Process.sleep(Duration.ofMillis(20)));
        }
        return Global.whereis(name);
    }

    public static String show(Optional<Pid> p) {
        return p.map(x -> x.node().name() + "/" + x.id() + "/" + x.serial()).orElse("undefined");
    }

    /** The command that runs a peer with the tests' class path. */
    public static List<String> command(String name, String cookie, int epmdPort) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String modules = System.getProperty("jdk.module.path", "");
        String cp = System.getProperty("java.class.path");
        return List.of(javaBin, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dloomix.strict=true",
                "-cp", modules.isEmpty() ? cp : cp + File.pathSeparator + modules, GlobalPeer.class.getName(),
                name, cookie, Integer.toString(epmdPort));
    }
}

package io.loomix.bench;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;
import io.loomix.otp.CallResult;
import io.loomix.otp.From;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * dist_oneway, dist_rtt, dist_call and dist_spawn for Loomix: this JVM is node bench_a; a second
 * JVM (same options and classpath) is node bench_b with a registered {@code sink}, {@code echo}
 * and GenServer {@code bench_server}. The epmd is the
 * first node's embedded one, on a free port (never 4369). loomix_bench.erl does the same with
 * two erl nodes.
 */
final class DistBench {
    private static final String COOKIE = "loomixbench";
    private static final Atom MSG = Atom.of("msg");
    private static final Atom START = Atom.of("start");
    private static final Atom DONE = Atom.of("done");
    /** The payload of the issue: a 3-tuple with a 29-byte binary (bytes that are not UTF-8, so it stays binary). */
    private static final Binary PAYLOAD;

    static {
        byte[] b = new byte[29];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0x80 + i);
        }
        PAYLOAD = Binary.of(b);
    }

    private DistBench() {}

    static String run(String workload, int size) throws Exception {
        int epmdPort;
        try (var s = new ServerSocket(0)) {
            epmdPort = s.getLocalPort();
        }
        Atom self = Node.start("bench_a", COOKIE, NodeOptions.DEFAULT.withEpmdPort(epmdPort));
        String host = self.name().substring(self.name().indexOf('@') + 1);
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmPeer.javaBinary());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoomixBench.class.getName(),
                "dist_peer", Integer.toString(epmdPort)));
        java.lang.Process peer = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.startsWith("ready"); ) {
                System.err.println("bench_b: " + line);
            }
            Atom b = Atom.of("bench_b@" + host);
            if (Node.ping(b) != Atom.of("pong")) {
                throw new IllegalStateException("bench_b does not answer");
            }
            Name sink = new Name(Atom.of("sink"), b);
            Name echo = new Name(Atom.of("echo"), b);
            return switch (workload) {
                case "dist_oneway" -> oneway(sink, size);
                case "dist_call" -> calls(new Name(Atom.of("bench_server"), b), size);
                case "dist_spawn" -> spawns(b, size);
                default -> rtt(echo, size);
            };
        } finally {
            peer.getOutputStream().close();
            peer.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            peer.destroyForcibly();
            Node.stop();
        }
    }

    private static String oneway(Name sink, int n) {
        Workload.warmUp(() -> onewayRound(sink, Math.max(1, n / 10)));
        long ns = onewayRound(sink, n);
        return LoomixBench.metric("messages_per_s", n / (ns / 1e9), "");
    }

    private static long onewayRound(Name sink, int n) {
        return Process.run(() -> {
            long t0 = System.nanoTime();
            Process.send(sink, Tuple.of(START, Process.self(), (long) n));
            for (long i = 0; i < n; i++) {
                Process.send(sink, Tuple.of(MSG, i, PAYLOAD));
            }
            Process.receive(Duration.ofMinutes(5), m -> m == DONE ? m : null, () -> {
                throw new IllegalStateException("the sink did not confirm " + n + " messages");
            });
            return System.nanoTime() - t0;
        });
    }

    /** As loomix_bench.erl: this many processes at once, each doing its share one after another. */
    private static final int CLIENTS = 16;
    private static final Atom PING = Atom.of("ping");
    private static final Atom PONG = Atom.of("pong");
    private static final Atom CLIENT_DONE = Atom.of("client_done");

    private static String calls(Name server, int n) {
        Workload.warmUp(() -> clients(Math.max(1, n / 10), () -> GenServer.call(server, PING)));
        int per = Math.max(1, n / CLIENTS);
        long ns = clients(per, () -> GenServer.call(server, PING));
        return LoomixBench.metric("calls_per_s", per * CLIENTS / (ns / 1e9), "\"clients\":" + CLIENTS);
    }

    private static String spawns(Atom node, int n) {
        Atom module = Atom.of(DistTargets.class.getName());
        Atom nop = Atom.of("nop");
        Runnable one = () -> Node.spawn(node, module, nop, List.of());
        Workload.warmUp(() -> clients(Math.max(1, n / 10 / CLIENTS), one));
        int per = Math.max(1, n / CLIENTS);
        long ns = clients(per, one);
        return LoomixBench.metric("spawns_per_s", per * CLIENTS / (ns / 1e9), "\"clients\":" + CLIENTS);
    }

    /** Nanoseconds until {@link #CLIENTS} processes have each run {@code op} {@code per} times. */
    private static long clients(int per, Runnable op) {
        return Process.run(() -> {
            Pid me = Process.self();
            long t0 = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                Process.spawnLink(() -> {
                    for (int i = 0; i < per; i++) {
                        op.run();
                    }
                    Process.send(me, CLIENT_DONE);
                });
            }
            for (int c = 0; c < CLIENTS; c++) {
                Process.receive(Duration.ofMinutes(5), m -> m == CLIENT_DONE ? m : null, () -> {
                    throw new IllegalStateException("a client did not finish within 5 minutes");
                });
            }
            return System.nanoTime() - t0;
        });
    }

    /** bench_server: ping -> pong. */
    static final class PingServer extends GenServer<Atom> {
        @Override
        protected Init<Atom> init() {
            return ok(PONG);
        }

        @Override
        protected CallResult<Atom> handleCall(Object request, From from, Atom state) {
            return reply(PONG, state);
        }
    }

    private static String rtt(Name echo, int n) {
        Workload.warmUp(() -> rttRound(echo, Math.max(1, n / 10)));
        LatencySummary s = LatencySummary.of(rttRound(echo, n));
        return LoomixBench.metric("p50_us", s.p50Micros(), String.format(Locale.ROOT,
                "\"p99_us\":%.3f,\"max_us\":%.3f,\"samples\":%d", s.p99Micros(), s.maxMicros(), s.samples()));
    }

    private static long[] rttRound(Name echo, int n) {
        return Process.run(() -> {
            long[] nanos = new long[n];
            Pid me = Process.self();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                Process.send(echo, Tuple.of(me, (long) i));
                Process.receive(Duration.ofSeconds(30), m -> m, () -> {
                    throw new IllegalStateException("no echo");
                });
                nanos[i] = System.nanoTime() - t0;
            }
            return nanos;
        });
    }

    /** bench_b: {@code LoomixBench dist_peer EPMD_PORT}; runs until its stdin closes or it is killed. */
    static void peer(String[] args) throws IOException {
        Node.start("bench_b", COOKIE, NodeOptions.DEFAULT.withEpmdPort(Integer.parseInt(args[1])));
        Process.register("sink", Process.spawn(DistBench::sink));
        Process.register("echo", Process.spawn(() -> {
            while (true) {
                if (Process.receive() instanceof Tuple t && t.get(0) instanceof Pid from) {
                    Process.send(from, t);
                }
            }
        }));
        Process.run(() -> GenServer.start(new PingServer(), "bench_server"));
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the harness goes
        }
        System.exit(0);
    }

    private static void sink() {
        while (true) {
            if (Process.receive() instanceof Tuple start && start.get(0) == START) {
                Pid from = (Pid) start.get(1);
                long n = (Long) start.get(2);
                for (long i = 0; i < n; i++) {
                    Process.receive();
                }
                Process.send(from, DONE);
            }
        }
    }
}

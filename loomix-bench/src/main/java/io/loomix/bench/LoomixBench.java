package io.loomix.bench;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;
import io.loomix.otp.bench.GenCallBench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.loomix.Process.*;

/**
 * The Loomix side of the side-by-side benchmarks: {@code LoomixBench WORKLOAD SIZE} runs one
 * workload in this JVM and prints one {@code RESULT {json}} line, the protocol BenchMain reads.
 * The programs mirror the BEAM ones in loomix_bench.erl, written as a Java user would write them.
 */
public final class LoomixBench {
    private static final Atom DONE = Atom.of("done");
    private static final Atom READY = Atom.of("ready");
    private static final Atom GO = Atom.of("go");
    private static final Atom PONG = Atom.of("pong");
    private static final Atom STOP = Atom.of("stop");
    private static final io.loomix.ExitReason KILL_REASON = io.loomix.ExitReason.KILL;

    record Token(int hopsLeft) {}

    record Call(Pid from, Ref ref) {}

    record Reply(Ref ref, Atom value) {}

    private LoomixBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && !(args.length > 0 && args[0].equals("dist_peer"))) {
            System.err.println("usage: LoomixBench WORKLOAD SIZE");
            System.exit(2);
        }
        String workload = args[0];
        int size = Integer.parseInt(args[1]);
        String result = switch (workload) {
            case "spawn" -> spawnWorkload(size);
            case "idle" -> idle(size);
            case "pingpong" -> pingpong(size);
            case "ring" -> ring(size);
            case "fanin" -> fanin(size);
            case "call_backlog" -> callBacklog(size);
            case "spinners" -> spinners(size);
            case "gencall" -> metric("calls_per_s", GenCallBench.callsPerSecond(size), "");
            case "broadcast" -> broadcast(size, false);
            case "broadcast_aged" -> broadcast(size, true);
            case "idle_genserver" -> idleGenServer(size);
            case "dist_oneway", "dist_rtt", "dist_call", "dist_spawn" -> DistBench.run(workload, size);
            case "dist_peer" -> {
                DistBench.peer(args);
                yield "";
            }
            default -> throw new IllegalArgumentException("unknown workload " + workload + " (this build has: "
                    + Workload.ids().replace(',', ' ') + ")");
        };
        System.out.println("RESULT {\"peer\":\"loomix\",\"workload\":\"" + workload + "\",\"size\":" + size + "," + result + "}");
        System.exit(0);
    }

    static String metric(String name, double value, String extra) {
        return String.format(Locale.ROOT, "\"metric\":\"%s\",\"value\":%.3f,\"extra\":{%s}", name, value, extra);
    }

    // ---- spawn: N children, each takes one message, says done and exits ----

    static String spawnWorkload(int n) {
        Workload.warmUp(() -> spawnRound(Math.max(1, n / 10)));
        long ns = spawnRound(n);
        return metric("ns_per_process", (double) ns / n, "");
    }

    private static long spawnRound(int n) {
        return run(() -> {
            Pid parent = self();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Pid child = spawn(() -> {
                    receive();
                    send(parent, DONE);
                });
                send(child, GO);
            }
            for (int i = 0; i < n; i++) {
                receive();
            }
            return System.nanoTime() - start;
        });
    }

    // ---- idle: heap per process blocked in receive ----

    static String idle(int n) {
        idleRound(Math.max(1, n / 10));
        long before = usedHeapAfterGc();
        List<Pid> pids = new ArrayList<>(n);
        run(() -> {
            Pid parent = self();
            for (int i = 0; i < n; i++) {
                pids.add(spawn(() -> {
                    send(parent, READY);
                    receive();
                }));
            }
            for (int i = 0; i < n; i++) {
                receive();
            }
        });
        long after = usedHeapAfterGc();
        // The list of pids is the harness's, not the processes': subtract it.
        long listBytes = (long) n * (32 + 4) + 16L * 1024;
        double perProcess = (double) (after - before - listBytes) / n;
        pids.forEach(p -> send(p, STOP));
        return metric("bytes_per_process", perProcess, "\"heap_delta_bytes\":" + (after - before));
    }

    private static void idleRound(int n) {
        run(() -> {
            Pid parent = self();
            List<Pid> pids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                pids.add(spawn(() -> {
                    send(parent, READY);
                    receive();
                }));
            }
            for (int i = 0; i < n; i++) {
                receive();
            }
            pids.forEach(p -> send(p, STOP));
        });
    }

    private static long usedHeapAfterGc() {
        var mem = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(last - used) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }

    // ---- pingpong: two processes, R round trips ----

    static String pingpong(int rounds) {
        Workload.warmUp(() -> pingpongRound(Math.max(1, rounds / 10)));
        long ns = pingpongRound(rounds);
        return metric("round_trips_per_s", rounds * 1e9 / ns, "");
    }

    private static long pingpongRound(int rounds) {
        return run(() -> {
            Pid ponger = spawn(() -> {
                for (;;) {
                    Object msg = receive();
                    if (!(msg instanceof Pid from)) {
                        return;
                    }
                    send(from, PONG);
                }
            });
            Pid me = self();
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                send(ponger, me);
                receive();
            }
            long ns = System.nanoTime() - start;
            send(ponger, STOP);
            return ns;
        });
    }

    // ---- ring: 503 processes pass a token M hops ----

    static String ring(int hops) {
        Workload.warmUp(() -> ringRound(Math.max(1, hops / 10)));
        long ns = ringRound(hops);
        return metric("hops_per_s", hops * 1e9 / ns, "");
    }

    private static long ringRound(int hops) {
        return run(() -> {
            Pid main = self();
            int n = 503;
            Pid[] ring = new Pid[n];
            for (int i = 0; i < n; i++) {
                ring[i] = spawn(() -> ringMember(main));
            }
            for (int i = 0; i < n; i++) {
                send(ring[i], ring[(i + 1) % n]);
            }
            long start = System.nanoTime();
            send(ring[0], new Token(hops));
            receive(m -> m == DONE ? m : null);
            long ns = System.nanoTime() - start;
            for (Pid p : ring) {
                send(p, STOP);
            }
            return ns;
        });
    }

    private static void ringMember(Pid main) {
        Pid next = (Pid) receive();
        for (;;) {
            Object msg = receive();
            if (!(msg instanceof Token(int left))) {
                return;
            }
            if (left == 0) {
                send(main, DONE);
            } else {
                send(next, new Token(left - 1));
            }
        }
    }

    // ---- fanin: 100 senders, one counter ----

    static String fanin(int total) {
        Workload.warmUp(() -> faninRound(Math.max(100, total / 10)));
        long ns = faninRound(total);
        return metric("messages_per_s", total * 1e9 / ns, "");
    }

    private static long faninRound(int total) {
        int senders = 100;
        int each = total / senders;
        int expected = each * senders;
        return run(() -> {
            Pid main = self();
            Pid counter = spawn(() -> {
                for (int i = 0; i < expected; i++) {
                    receive();
                }
                send(main, DONE);
            });
            long start = System.nanoTime();
            for (int s = 0; s < senders; s++) {
                spawn(() -> {
                    Integer one = 1;
                    for (int i = 0; i < each; i++) {
                        send(counter, one);
                    }
                });
            }
            receive(m -> m == DONE ? m : null);
            return System.nanoTime() - start;
        });
    }

    // ---- spinners: ping-pong latency next to 100 CPU-bound processes ----

    static String spinners(int rounds) {
        Workload.warmUp(() -> spinnersRound(Math.max(1, rounds / 10)));
        LatencySummary s = LatencySummary.of(spinnersRound(rounds));
        return metric("p99_us", s.p99Micros(), String.format(Locale.ROOT,
                "\"p50_us\":%.3f,\"max_us\":%.3f,\"samples\":%d,\"longest_stall_ms\":%.3f,\"stalls\":%d,"
                        + "\"stall_share\":%.4f", s.p50Micros(), s.maxMicros(), s.samples(), s.longestStallMillis(),
                s.stalls(), s.stallShare()));
    }

    /** R round trips or R milliseconds, whichever ends first (Workload.spinnersTimeLimitNanos). */
    private static long[] spinnersRound(int rounds) {
        return run(() -> {
            List<Pid> spinners = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                long seed = i;
                spinners.add(spawn(() -> spin(seed)));
            }
            Pid ponger = spawn(() -> {
                for (;;) {
                    if (!(receive() instanceof Pid from)) {
                        return;
                    }
                    send(from, PONG);
                }
            });
            Pid me = self();
            long[] nanos = new long[rounds];
            long deadline = System.nanoTime() + Workload.spinnersTimeLimitNanos(rounds);
            int done = 0;
            while (done < rounds) {
                long t0 = System.nanoTime();
                send(ponger, me);
                receive();
                long t1 = System.nanoTime();
                nanos[done++] = t1 - t0;
                if (t1 - deadline >= 0) {
                    break;
                }
            }
            send(ponger, STOP);
            spinners.forEach(p -> exit(p, KILL_REASON));
            return java.util.Arrays.copyOf(nanos, done);
        });
    }

    /** Park-Miller steps, as the BEAM peer's spin/1: no allocation, no blocking; only preemption stops it. */
    private static void spin(long seed) {
        long x = seed;
        for (;;) {
            x = (x * 16807) % 2147483647;
        }
    }

    // ---- broadcast: N parked processes, one message each, one reply each ----

    static String broadcast(int n, boolean aged) {
        Workload.warmUp(() -> broadcastRound(Math.max(1, n / 10), aged));
        long[] phases = broadcastRound(n, aged);
        double sendMs = phases[0] / 1e6;
        double collectMs = phases[1] / 1e6;
        return metric("ms_after_spawn", sendMs + collectMs, String.format(Locale.ROOT,
                "\"send_ms\":%.3f,\"collect_ms\":%.3f,\"collect_us_per_process\":%.4f",
                sendMs, collectMs, phases[1] / 1e3 / n));
    }

    /**
     * The send phase and the collect phase, in ns, once every child has said it is ready; {@code aged}:
     * after a full collection, which leaves every child in the old generation.
     */
    private static long[] broadcastRound(int n, boolean aged) {
        return run(() -> {
            Pid parent = self();
            Pid[] children = new Pid[n];
            for (int i = 0; i < n; i++) {
                children[i] = spawn(() -> {
                    send(parent, READY);
                    receive();
                    send(parent, DONE);
                });
            }
            for (int i = 0; i < n; i++) {
                receive();
            }
            if (aged) {
                System.gc();
            }
            long t0 = System.nanoTime();
            for (Pid child : children) {
                send(child, GO);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                receive();
            }
            return new long[] {t1 - t0, System.nanoTime() - t1};
        });
    }

    // ---- idle_genserver: heap per idle GenServer ----

    /** Hibernates at once, as OTP's {@code {ok, State, hibernate}}: the BEAM peer's server does the same. */
    static final class IdleServer extends GenServer<Atom> {
        @Override
        protected Init<Atom> init() {
            return ok(READY).hibernate();
        }
    }

    static String idleGenServer(int n) {
        idleGenServerRound(Math.max(1, n / 10), null);
        long before = usedHeapAfterGc();
        List<Pid> pids = new ArrayList<>(n);
        idleGenServerRound(n, pids);
        long after = usedHeapAfterGc();
        long listBytes = (long) n * (32 + 4) + 16L * 1024;
        double perServer = (double) (after - before - listBytes) / n;
        pids.forEach(p -> exit(p, KILL_REASON));
        return metric("bytes_per_server", perServer, "\"heap_delta_bytes\":" + (after - before));
    }

    /** Starts n servers (GenServer.start returns once init has run); keeps them in {@code keep}, or stops them. */
    private static void idleGenServerRound(int n, List<Pid> keep) {
        List<Pid> pids = keep != null ? keep : new ArrayList<>(n);
        run(() -> {
            IdleServer callbacks = new IdleServer();
            for (int i = 0; i < n; i++) {
                pids.add(GenServer.start(callbacks));
            }
        });
        if (keep == null) {
            pids.forEach(p -> exit(p, KILL_REASON));
        }
    }

    // ---- call_backlog: call/reply with 100k unrelated messages queued ----

    static String callBacklog(int calls) {
        double[] ns = run(() -> {
            Pid server = spawn(() -> {
                for (;;) {
                    Object msg = receive();
                    if (!(msg instanceof Call(Pid from, Ref ref))) {
                        return;
                    }
                    send(from, new Reply(ref, PONG));
                }
            });
            for (int i = 0; i < 20; i++) {
                doCalls(server, calls); // warm up: the figures below are for compiled code
            }
            double empty = (double) doCalls(server, calls) / calls;
            Pid me = self();
            for (int i = 0; i < 100_000; i++) {
                send(me, i);
            }
            doCalls(server, calls);
            double backlog = (double) doCalls(server, calls) / calls;
            send(server, STOP);
            return new double[] {empty, backlog};
        });
        return metric("ns_per_call_backlog", ns[1], String.format(Locale.ROOT,
                "\"ns_per_call_empty\":%.1f,\"ratio\":%.3f", ns[0], ns[1] / ns[0]));
    }

    private static long doCalls(Pid server, int calls) {
        Pid me = self();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            Ref ref = makeRef();
            send(server, new Call(me, ref));
            receive(ref, m -> m instanceof Reply r && r.ref() == ref ? r.value() : null);
        }
        return System.nanoTime() - start;
    }
}

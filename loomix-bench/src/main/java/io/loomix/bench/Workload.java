package io.loomix.bench;

import java.util.Arrays;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The side-by-side workloads, in report order. Every peer program (BEAM,
 * Pekko, Loomix) is invoked as {@code <program> <workload> <size>} and
 * answers with one RESULT line carrying {@link #metric()}.
 */
public enum Workload {
    SPAWN("spawn", "ns_per_process", true, 1_000_000, 100_000),
    IDLE("idle", "bytes_per_process", true, 1_000_000, 200_000),
    PINGPONG("pingpong", "round_trips_per_s", false, 2_000_000, 200_000),
    RING("ring", "hops_per_s", false, 10_000_000, 1_000_000),
    FANIN("fanin", "messages_per_s", false, 10_000_000, 1_000_000),
    CALL_BACKLOG("call_backlog", "ns_per_call_backlog", true, 20_000, 2_000),
    SPINNERS("spinners", "p99_us", true, 20_000, 2_000),
    GENCALL("gencall", "calls_per_s", false, 1_000_000, 100_000),
    /** N processes parked in receive; one sends each a message, each replies and exits; after the spawn. */
    BROADCAST("broadcast", "ms_after_spawn", true, 1_000_000, 100_000),
    /**
     * The same as broadcast, with every child collected once before the send (a JVM's full GC; BEAM's
     * garbage_collect of each child): processes that have lived through a collection, as a chat
     * room's do, where broadcast's are a burst that may be spawned, woken and gone between two.
     */
    BROADCAST_AGED("broadcast_aged", "ms_after_spawn", true, 1_000_000, 100_000),
    /** N idle GenServers (gen_server, an idle Pekko actor): heap per server, beside idle. */
    IDLE_GENSERVER("idle_genserver", "bytes_per_server", true, 1_000_000, 200_000),
    /** One sender to a registered receiver on another node over loopback: {msg, I, 29-byte binary}. */
    DIST_ONEWAY("dist_oneway", "messages_per_s", false, 2_000_000, 200_000),
    /** Round trips to an echo process on another node over loopback, one at a time; p99 alongside. */
    DIST_RTT("dist_rtt", "p50_us", true, 100_000, 10_000),
    /** GenServer calls (ping -> pong) to a registered server on another node, by 16 concurrent callers. */
    DIST_CALL("dist_call", "calls_per_s", false, 200_000, 20_000),
    /** Spawns on another node (spawn/4, which waits for the node's answer) of a function that returns at once, by 16 concurrent spawners. */
    DIST_SPAWN("dist_spawn", "spawns_per_s", false, 100_000, 10_000);

    private final String id;
    private final String metric;
    private final boolean lowerIsBetter;
    private final int fullSize;
    private final int quickSize;

    Workload(String id, String metric, boolean lowerIsBetter, int fullSize, int quickSize) {
        this.id = id;
        this.metric = metric;
        this.lowerIsBetter = lowerIsBetter;
        this.fullSize = fullSize;
        this.quickSize = quickSize;
    }

    /** The name on the command line and in RESULT lines. */
    public String id() {
        return id;
    }

    public String metric() {
        return metric;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    public int size(boolean quick) {
        return quick ? quickSize : fullSize;
    }

    /**
     * The spinners run stops after its R round trips or after R milliseconds,
     * whichever comes first, so a peer whose round trips take hundreds of
     * milliseconds under load still finishes; peers report the count as "samples".
     */
    public static long spinnersTimeLimitNanos(int rounds) {
        return rounds * 1_000_000L;
    }

    /** Untimed warm-up size used by every peer before the measured run. */
    public int warmupSize(int size) {
        return Math.max(1, size / 10);
    }

    /**
     * How long every peer warms up before the measured run of this workload: it repeats the
     * warm-up round ({@link #warmupSize}) until this much time has passed, and always runs it
     * once. A JVM's first seconds measure its JIT compiler, not the runtime: a warm-up of a
     * tenth of the size can be over before HotSpot's C2 has compiled the paths the measured run
     * takes (a method called once per remote spawn reaches C2's 5,000-call threshold only half-way
     * through 10,000 spawns, and two nodes' hot paths took 3-5 s to compile on two cores), and
     * a measured run of a few hundred milliseconds on two cores then shares them with the compiler. The rows that
     * measure bytes, and {@code gencall} and {@code call_backlog}, which warm up with their full
     * size already, keep a single round. BEAM and Pekko get the same rule.
     */
    public long warmupMillis(boolean quick) {
        return switch (this) {
            case IDLE, IDLE_GENSERVER, CALL_BACKLOG, GENCALL -> 0;
            default -> quick ? 1_000 : 5_000;
        };
    }

    /** The environment variable that carries {@link #warmupMillis} to a peer's program. */
    public static final String WARMUP_ENV = "LOOMIX_BENCH_WARMUP_MS";

    /**
     * Runs {@code round} once, then again until the warm-up time the harness set in
     * {@link #WARMUP_ENV} has passed (none when it is unset: a peer run by hand warms up once,
     * unless given the variable).
     */
    public static void warmUp(Runnable round) {
        String text = System.getenv(WARMUP_ENV);
        long millis;
        try {
            millis = text == null || text.isBlank() ? 0 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(WARMUP_ENV + " must be a number of milliseconds, was '" + text + "'", e);
        }
        warmUp(round, millis, System::nanoTime);
    }

    /** Runs {@code round} once, then again until {@code millis} have passed on {@code nanoTime} since the start. */
    static void warmUp(Runnable round, long millis, LongSupplier nanoTime) {
        long end = nanoTime.getAsLong() + millis * 1_000_000L;
        do {
            round.run();
        } while (nanoTime.getAsLong() - end < 0);
    }

    public static Workload byId(String id) {
        for (var workload : values()) {
            if (workload.id.equals(id)) return workload;
        }
        throw new IllegalArgumentException("unknown workload '" + id + "', expected one of " + ids());
    }

    /** Whether a run holds a million processes at once (the peers then need a larger heap or process limit). */
    public boolean holdsManyProcesses() {
        return this == IDLE || this == BROADCAST || this == BROADCAST_AGED || this == IDLE_GENSERVER;
    }

    public static String ids() {
        return Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(","));
    }
}

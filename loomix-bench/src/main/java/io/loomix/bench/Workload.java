package io.loomix.bench;

import java.util.Arrays;
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

    public static Workload byId(String id) {
        for (var workload : values()) {
            if (workload.id.equals(id)) return workload;
        }
        throw new IllegalArgumentException("unknown workload '" + id + "', expected one of " + ids());
    }

    /** Whether a run holds a million processes at once (the peers then need a larger heap or process limit). */
    public boolean holdsManyProcesses() {
        return this == IDLE || this == BROADCAST || this == IDLE_GENSERVER;
    }

    public static String ids() {
        return Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(","));
    }
}

package io.loomix.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every workload on Loomix, BEAM and Pekko, each run in a process of its
 * own, and reports them side by side. A peer that cannot run (no erl, no
 * LoomixBench, a crash, a timeout) shows as n/a with its reason; the rest go on.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Instant started = Instant.now();
        long startNanos = System.nanoTime();

        BeamPeer beam = BeamPeer.prepare();
        Map<String, Peer> known = new LinkedHashMap<>();
        JvmPeer loomix = JvmPeer.loomix(!options.defaultYoungGen());
        known.put("loomix", loomix);
        known.put("beam", beam);
        known.put("pekko", JvmPeer.pekko());
        List<Peer> peers = options.peers().stream().map(known::get).toList();
        MachineInfo machine = MachineInfo.probe(beam.version());
        System.out.println("Loomix side-by-side benchmarks (" + (options.quick() ? "quick" : "full") + ")");
        System.out.println(machine.describe());
        String heldRows = loomix.manyProcessesOptions().isEmpty() ? "G1's own young generation (--default-young-gen)"
                : String.join(" ", loomix.manyProcessesOptions()) + " (jvm.properties' loomix.jvm.manyProcesses)";
        System.out.println("Rows that hold a million processes: BEAM +P " + BeamPeer.MANY_PROCESSES
                + "; Pekko -Xmx16g; Loomix -Xmx16g, " + heldRows);
        System.out.println("Warm-up, every peer: a tenth of the size, repeated for "
                + Workload.PINGPONG.warmupMillis(options.quick())
                + " ms (once for idle, idle_genserver, gencall and call_backlog)");
        System.out.println();

        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        List<Report.Entry> entries = new ArrayList<>();
        try (var log = new PrintWriter(Files.newBufferedWriter(options.logFile().toAbsolutePath()), true)) {
            int total = options.workloads().size() * peers.size();
            for (Workload workload : options.workloads()) {
                int size = workload.size(options.quick());
                for (Peer peer : peers) {
                    var entry = new Report.Entry(workload, peer.name(), size, runOne(peer, workload, size, options, log));
                    entries.add(entry);
                    System.out.println(progressLine(entries.size(), total, entry));
                }
            }
        }

        Duration wallTime = Duration.ofNanos(System.nanoTime() - startNanos);
        var report = new Report(options.quick(), started, wallTime, machine, options.workloads(), entries,
                loomix.manyProcessesOptions());
        System.out.println();
        report.printTable(System.out);
        report.writeJson(out);
        System.out.printf(Locale.ROOT, "%nWrote %s (log: %s) in %.1f s%n", out, options.logFile().toAbsolutePath(),
                wallTime.toMillis() / 1e3);
    }

    private static PeerRun.Outcome runOne(Peer peer, Workload workload, int size, BenchOptions options, PrintWriter log) {
        Optional<String> unavailable = peer.unavailable();
        if (unavailable.isPresent()) return new PeerRun.Outcome(null, unavailable.get(), 0);
        String tag = "[" + workload.id() + "/" + peer.name() + "] ";
        ProcessBuilder command = peer.command(workload, size);
        command.environment().put(Workload.WARMUP_ENV, Long.toString(workload.warmupMillis(options.quick())));
        log.println(tag + "$ " + String.join(" ", command.command()));
        return PeerRun.run(command, workload, options.timeoutPerRun(), log, tag);
    }

    private static String progressLine(int done, int total, Report.Entry entry) {
        String what = entry.value()
                .map(value -> Report.human(value) + " " + entry.workload().metric())
                .orElse("n/a: " + entry.whyNoValue());
        return String.format(Locale.ROOT, "[%2d/%d] %-12s %-6s %s (%.1f s)", done, total, entry.workload().id(),
                entry.peer(), what, entry.outcome().wallMillis() / 1e3);
    }
}

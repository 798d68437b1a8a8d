package io.loomix.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The results of one harness run, as a table for people and a JSON file for tools. */
final class Report {

    /** One peer's run of one workload. */
    record Entry(Workload workload, String peer, int size, PeerRun.Outcome outcome) {

        Optional<Double> value() {
            if (!outcome.ok() || !(outcome.result().get("value") instanceof Number number)) return Optional.empty();
            return Optional.of(number.doubleValue());
        }

        /** Why there is no value: the run failed, or the peer said it has no such thing. */
        String whyNoValue() {
            if (!outcome.ok()) return outcome.failure();
            if (outcome.result().get("extra") instanceof Map<?, ?> extra && extra.get("note") != null) {
                return String.valueOf(extra.get("note"));
            }
            return "no value";
        }
    }

    static final String LOOMIX = "loomix";
    static final List<String> PEERS = List.of(LOOMIX, "beam", "pekko");
    static final String RATIO_DIRECTION = "ratios compare Loomix with a peer and are > 1 when Loomix is better: "
            + "peer/loomix for lower-is-better metrics ("
            + Arrays.stream(Workload.values()).filter(Workload::lowerIsBetter).map(Workload::metric).distinct()
                    .collect(Collectors.joining(", "))
            + "), loomix/peer for the others";

    private final boolean quick;
    private final Instant started;
    private final Duration wallTime;
    private final MachineInfo machine;
    private final List<Workload> workloads;
    private final List<Entry> entries;
    /** What the Loomix peer's rows that hold a million processes got beyond -Xmx16g (none with --default-young-gen). */
    private final List<String> manyProcessesJvm;

    Report(boolean quick, Instant started, Duration wallTime, MachineInfo machine, List<Workload> workloads, List<Entry> entries) {
        this(quick, started, wallTime, machine, workloads, entries, List.of());
    }

    Report(boolean quick, Instant started, Duration wallTime, MachineInfo machine, List<Workload> workloads, List<Entry> entries,
            List<String> manyProcessesJvm) {
        this.manyProcessesJvm = List.copyOf(manyProcessesJvm);
        this.quick = quick;
        this.started = started;
        this.wallTime = wallTime;
        this.machine = machine;
        this.workloads = List.copyOf(workloads);
        this.entries = List.copyOf(entries);
    }

    /** The Loomix-vs-peer ratio for one workload, empty when either side has no value. */
    Optional<Double> ratio(Workload workload, String peer) {
        Optional<Double> loomix = value(workload, LOOMIX);
        Optional<Double> other = value(workload, peer);
        if (loomix.isEmpty() || other.isEmpty() || loomix.get() == 0 || other.get() == 0) return Optional.empty();
        return Optional.of(workload.lowerIsBetter() ? other.get() / loomix.get() : loomix.get() / other.get());
    }

    private Optional<Double> value(Workload workload, String peer) {
        return entry(workload, peer).flatMap(Entry::value);
    }

    private Optional<Entry> entry(Workload workload, String peer) {
        return entries.stream().filter(e -> e.workload() == workload && e.peer().equals(peer)).findFirst();
    }

    void printTable(PrintStream out) {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("workload", "metric", "loomix", "beam", "pekko", "loomix/beam", "loomix/pekko"));
        // Reason -> workloads, so a peer that is missing altogether is explained once.
        var notes = new LinkedHashMap<String, List<String>>();
        for (Workload workload : workloads) {
            var row = new ArrayList<>(List.of(workload.id(), workload.metric()));
            for (String peer : PEERS) {
                Optional<Entry> entry = entry(workload, peer);
                row.add(entry.map(e -> e.value().map(Report::human).orElse("n/a")).orElse("-"));
                entry.filter(e -> e.value().isEmpty()).ifPresent(e -> notes
                        .computeIfAbsent(peer + ": " + e.whyNoValue(), reason -> new ArrayList<>())
                        .add(workload.id()));
            }
            row.add(ratio(workload, "beam").map(Report::times).orElse("-"));
            row.add(ratio(workload, "pekko").map(Report::times).orElse("-"));
            rows.add(row);
        }
        out.println("Ratio direction: " + RATIO_DIRECTION + ".");
        printAligned(out, rows);
        if (!notes.isEmpty()) {
            out.println("n/a:");
            notes.forEach((reason, where) -> out.println("  " + reason + " [" + String.join(", ", where) + "]"));
        }
    }

    private static void printAligned(PrintStream out, List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) widths[i] = Math.max(widths[i], row.get(i).length());
        }
        for (List<String> row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                // Names left, numbers right, so magnitudes line up.
                line.append(i < 2 ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append("  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pad(String cell, int width, boolean right) {
        String space = " ".repeat(width - cell.length());
        return right ? space + cell : cell + space;
    }

    static String human(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 1e9) return String.format(Locale.ROOT, "%.2fG", value / 1e9);
        if (magnitude >= 1e6) return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        if (magnitude >= 1e4) return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        if (magnitude >= 100) return String.format(Locale.ROOT, "%.0f", value);
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    void writeJson(Path file) throws IOException {
        var json = new LinkedHashMap<String, Object>();
        json.put("timestamp", started.toString());
        json.put("mode", quick ? "quick" : "full");
        json.put("wall_time_s", wallTime.toMillis() / 1e3);
        json.put("ratio_direction", RATIO_DIRECTION);
        json.put("machine", machine.toJson());
        json.put("loomix_many_processes_jvm", String.join(" ", manyProcessesJvm));
        var sizes = new LinkedHashMap<String, Object>();
        workloads.forEach(workload -> sizes.put(workload.id(), workload.size(quick)));
        json.put("sizes", sizes);
        var warmups = new LinkedHashMap<String, Object>();
        workloads.forEach(workload -> warmups.put(workload.id(), workload.warmupMillis(quick)));
        json.put("warmup_ms", warmups);
        json.put("runs", entries.stream().map(Report::runJson).toList());
        json.put("ratios", workloads.stream().map(this::ratioJson).toList());
        Files.writeString(file, Json.write(json) + "\n");
    }

    private static Map<String, Object> runJson(Entry entry) {
        var json = new LinkedHashMap<String, Object>();
        json.put("workload", entry.workload().id());
        json.put("peer", entry.peer());
        json.put("size", entry.size());
        json.put("status", entry.outcome().ok() ? "ok" : "n/a");
        json.put("wall_ms", entry.outcome().wallMillis());
        if (entry.outcome().ok()) json.put("result", entry.outcome().result());
        else json.put("reason", entry.outcome().failure());
        return json;
    }

    private Map<String, Object> ratioJson(Workload workload) {
        var json = new LinkedHashMap<String, Object>();
        json.put("workload", workload.id());
        json.put("metric", workload.metric());
        json.put("lower_is_better", workload.lowerIsBetter());
        json.put("loomix_vs_beam", ratio(workload, "beam").orElse(null));
        json.put("loomix_vs_pekko", ratio(workload, "pekko").orElse(null));
        return json;
    }
}

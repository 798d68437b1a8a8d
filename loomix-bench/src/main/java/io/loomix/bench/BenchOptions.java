package io.loomix.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The harness command line. */
record BenchOptions(boolean quick, Path out, List<Workload> workloads, List<String> peers, boolean defaultYoungGen) {

    static final String USAGE = """
            usage: BenchMain [--quick] [--out FILE] [--only w1,w2] [--peers loomix,beam,pekko] [--default-young-gen]
              --quick   small sizes; all workloads x 3 peers in under 2 minutes on 2 cores
              --default-young-gen  the Loomix peer's rows that hold a million processes run with -Xmx16g
                        only, on G1's own young generation sizing, without jvm.properties'
                        loomix.jvm.manyProcesses (a young generation that holds them)
              --out     results file (default bench-results/latest.json; the log goes next to it)
              --only    workloads, any of: %s
              --peers   peers, any of: %s""".formatted(Workload.ids(), String.join(",", Report.PEERS));

    static BenchOptions parse(String... args) {
        boolean quick = false;
        Path out = Path.of("bench-results", "latest.json");
        List<Workload> workloads = List.of(Workload.values());
        List<String> peers = Report.PEERS;
        boolean defaultYoungGen = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(valueOf(args, ++i));
                case "--only" -> workloads = Arrays.stream(valueOf(args, ++i).split(",")).map(Workload::byId).distinct()
                        .sorted().toList();
                case "--peers" -> peers = parsePeers(valueOf(args, ++i));
                case "--default-young-gen" -> defaultYoungGen = true;
                case "--many-processes-jvm" -> throw new IllegalArgumentException(
                        "--many-processes-jvm is the default now; --default-young-gen runs without it");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new BenchOptions(quick, out, workloads, peers, defaultYoungGen);
    }

    /** Kept in report order whatever order they were given in. */
    private static List<String> parsePeers(String list) {
        List<String> named = Arrays.asList(list.split(","));
        for (String peer : named) {
            if (!Report.PEERS.contains(peer)) throw new IllegalArgumentException("unknown peer '" + peer + "'");
        }
        return Report.PEERS.stream().filter(named::contains).toList();
    }

    private static String valueOf(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }

    /** Generous next to the expected run times, which are a few seconds to a minute. */
    Duration timeoutPerRun() {
        return Duration.ofSeconds(quick ? 60 : 120);
    }

    Path logFile() {
        String name = out.getFileName().toString();
        return out.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".log");
    }
}

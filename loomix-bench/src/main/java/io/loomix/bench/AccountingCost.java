package io.loomix.bench;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.SpawnOptions;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

import static io.loomix.Process.*;

/**
 * What per-process allocation accounting costs ping-pong and spawn, Loomix against itself:
 * <ul>
 * <li>plain: no process is accounted (the scheduler then looks up no task);</li>
 * <li>bystander: the measured processes are plain, but one accounted process exists (every
 *     task's process is looked up, as it always is, and found not accounted);</li>
 * <li>accounted: the measured processes are accounted (the carrier reads its allocation counter
 *     around each of their slices, and they read it as they leave each receive).</li>
 * </ul>
 * The variants alternate, and each figure is the median of the rounds.
 *
 * {@snippet lang=sh :
 * java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED \
 *     -cp 'loomix-bench/target/classes:loomix-bench/target/lib/*' io.loomix.bench.AccountingCost
 * }
 */
public final class AccountingCost {
    private static final Atom PONG = Atom.of("pong");
    private static final Atom STOP = Atom.of("stop");
    private static final SpawnOptions ACCOUNTED = SpawnOptions.DEFAULT.withAccounting(true);

    private AccountingCost() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int trips = 1_000_000;
        int spawns = 200_000;
        double[][] ping = new double[3][rounds];
        double[][] spawn = new double[3][rounds];
        for (int r = -2; r < rounds; r++) { // two rounds of warm-up
            for (int v = 0; v < 3; v++) {
                Pid bystander = v == 1 ? spawn(ACCOUNTED, () -> receive(m -> m == STOP ? m : null)) : null;
                SpawnOptions options = v == 2 ? ACCOUNTED : SpawnOptions.DEFAULT;
                double p = trips * 1e9 / time(() -> pingpong(trips, options));
                double s = (double) time(() -> spawnAll(spawns, options)) / spawns;
                if (bystander != null) {
                    send(bystander, STOP);
                }
                if (r >= 0) {
                    ping[v][r] = p;
                    spawn[v][r] = s;
                }
            }
        }
        String[] names = {"plain", "bystander", "accounted"};
        double p0 = median(ping[0]);
        double s0 = median(spawn[0]);
        for (int v = 0; v < 3; v++) {
            double p = median(ping[v]);
            double s = median(spawn[v]);
            System.out.printf(Locale.ROOT, "%-10s ping-pong %.2f M round trips/s (%+.1f%%)   spawn %.0f ns (%+.1f%%)%n",
                    names[v], p / 1e6, (p0 / p - 1) * 100, s, (s / s0 - 1) * 100);
        }
        System.out.println("(percentages: extra time against plain; median of " + rounds + " rounds)");
        System.exit(0);
    }

    private static long time(LongSupplier body) {
        return body.getAsLong();
    }

    private static long pingpong(int trips, SpawnOptions options) {
        return run(() -> {
            Pid ponger = spawn(options, () -> {
                for (;;) {
                    if (!(receive() instanceof Pid from)) {
                        return;
                    }
                    send(from, PONG);
                }
            });
            // Both sides of the measured pair are spawned with the options.
            long[] ns = new long[1];
            Monitored m = spawnMonitor(options, () -> {
                Pid self = self();
                long start = System.nanoTime();
                for (int i = 0; i < trips; i++) {
                    send(ponger, self);
                    receive();
                }
                ns[0] = System.nanoTime() - start;
                send(ponger, STOP);
            });
            receive(msg -> msg instanceof io.loomix.Down d && d.ref().equals(m.ref()) ? d : null);
            return ns[0];
        });
    }

    private static long spawnAll(int n, SpawnOptions options) {
        return run(() -> {
            Pid parent = self();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Pid child = spawn(options, () -> {
                    receive();
                    send(parent, PONG);
                });
                send(child, STOP);
            }
            for (int i = 0; i < n; i++) {
                receive();
            }
            return System.nanoTime() - start;
        });
    }

    private static double median(double[] xs) {
        double[] sorted = xs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

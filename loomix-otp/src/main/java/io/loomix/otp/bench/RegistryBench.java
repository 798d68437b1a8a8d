package io.loomix.otp.bench;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.otp.Registry;

import java.util.Locale;

import static io.loomix.Process.*;

/**
 * Registry throughput under contention, with 1 partition and with 2: {@code PROCS} processes each
 * register a key of their own, look it up and a shared key, then exit, so the partitions' clean-up
 * after exits is part of what is measured (registering and lookups touch only the shared table).
 * Run: {@code java ... io.loomix.otp.bench.RegistryBench PROCS ROUNDS}.
 */
public final class RegistryBench {
    private RegistryBench() {}

    public static void main(String[] args) {
        int procs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int partitions : new int[] {1, 2, 1, 2}) { // twice each: the first pair warms up
            double best = 0;
            for (int r = 0; r < rounds; r++) {
                best = Math.max(best, Process.run(() -> registrationsPerSecond(procs, partitions)));
            }
            System.out.println(String.format(Locale.ROOT, "partitions=%d procs=%d: %.0f registrations/s (best of %d)",
                    partitions, procs, best, rounds));
        }
        System.exit(0);
    }

    /**
     * One round: every process registers twice, looks up, exits; done when the partitions have
     * removed every entry, which the registry's listener (this process) hears as Unregistered.
     */
    static double registrationsPerSecond(int procs, int partitions) {
        trapExit(true);
        Pid me = self();
        Registry reg = Registry.startLink("bench_reg_" + System.nanoTime(), Registry.Keys.DUPLICATE, partitions,
                java.util.List.of(me));
        long start = System.nanoTime();
        for (int i = 0; i < procs; i++) {
            int n = i;
            spawn(() -> {
                reg.register("own" + n, n);
                reg.register("shared", n);
                if (reg.lookup("own" + n).isEmpty()) {
                    throw new IllegalStateException("lost own" + n);
                }
            });
        }
        for (int gone = 0; gone < 2 * procs; ) { // take every message: a selective receive would rescan the Registered ones
            if (receive() instanceof Registry.Unregistered) {
                gone++;
            }
        }
        double perSecond = procs * 2 / ((System.nanoTime() - start) / 1e9);
        exit(whereis(reg.name()).orElseThrow(), io.loomix.ExitReason.SHUTDOWN);
        flush();
        return perSecond;
    }
}

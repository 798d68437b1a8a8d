package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.dist.Global;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;

import java.time.Duration;

/**
 * Not a test: {@code GlobalRegisterBench EPMD_PORT PEER_NODE N} times N Global.register + N
 * Global.unregister with PEER_NODE (erl or Loomix) in the cluster, and a million Global.whereis.
 * Run beside an erl that measures global:register_name the same way (docs/notes/global.md).
 */
public final class GlobalRegisterBench {
    private GlobalRegisterBench() {}

    public static void main(String[] args) {
        Node.start("gbench", "gb", NodeOptions.DEFAULT.withEpmdPort(Integer.parseInt(args[0])));
        if (!Node.connect(args[1]) || !Global.sync(Duration.ofSeconds(30))) {
            throw new IllegalStateException("cannot sync with " + args[1]);
        }
        int n = Integer.parseInt(args[2]);
        Pid[] pids = new Pid[n];
        for (int i = 0; i < n; i++) {
            pids[i] = Process.spawn(() -> Process.receive(m -> m == Atom.of("stop") ? m : null));
        }
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (!Global.register("bench_" + i, pids[i])) {
                    throw new IllegalStateException("bench_" + i + " taken");
                }
            }
            long t1 = System.nanoTime();
            long found = 0;
            for (int i = 0; i < 1_000_000; i++) {
                found += Global.whereis(Atom.of("bench_" + (i % n))).isPresent() ? 1 : 0;
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Global.unregister("bench_" + i);
            }
            long t3 = System.nanoTime();
            System.out.printf("round %d: register %.0f us/op, unregister %.0f us/op, whereis %.0f ns/op (%d found)%n", round,
                    (t1 - t0) / 1e3 / n, (t3 - t2) / 1e3 / n, (t2 - t1) / 1e6, found);
        }
        Node.stop();
        System.exit(0);
    }
}

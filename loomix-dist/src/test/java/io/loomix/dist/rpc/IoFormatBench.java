package io.loomix.dist.rpc;

import io.loomix.Atom;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;
import io.loomix.dist.Rpc;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Not a test: {@code IoFormatBench EPMD_PORT ERL_NODE N}: asks the process {@code iobench} on
 * ERL_NODE to time N {@code io:format("~p~n", [{line, I}])} calls with this node's group leader
 * as its group leader (each formatted on the erl node through rpc, printed here), 3 rounds.
 * The erl side and the erl <-> erl figure are in docs/notes/distfun.md.
 */
public final class IoFormatBench {
    private IoFormatBench() {}

    public static void main(String[] args) {
        PrintStream report = System.err;
        Atom erl = Atom.of(args[1]);
        Node.start("iobench", "iob", NodeOptions.DEFAULT.withEpmdPort(Integer.parseInt(args[0])));
        if (!Node.connect(args[1])) {
            throw new IllegalStateException("cannot reach " + args[1]);
        }
        Object gl = Rpc.call(erl, Atom.of("erlang"), Atom.of("group_leader"), List.of(), Duration.ofSeconds(10));
        long n = Long.parseLong(args[2]);
        for (int round = 0; round < 3; round++) {
            Object micros = Process.run(() -> {
                Process.send(new io.loomix.Name(Atom.of("iobench"), erl), Tuple.of(Atom.of("run"), n, gl, Process.self()));
                return Process.receive(Duration.ofMinutes(5), m -> m instanceof Tuple t && t.get(0) == Atom.of("took") ? t.get(1) : null,
                        () -> -1L);
            });
            report.printf("round %d: %d io:format calls, %.1f us/call%n", round, n, ((Number) micros).doubleValue() / n);
        }
        Node.stop();
        System.exit(0);
    }
}

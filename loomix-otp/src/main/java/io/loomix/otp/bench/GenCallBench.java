package io.loomix.otp.bench;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.otp.CallResult;
import io.loomix.otp.From;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;

/**
 * GenServer call round trips, the {@code gencall} workload: one client process calls a server
 * whose {@code handleCall} replies at once, as BEAM's {@code gen_server:call} and Pekko's ask are
 * measured. Each call monitors the server, makes an alias for the reply and removes both again,
 * exactly as a real call does.
 */
public final class GenCallBench {
    private GenCallBench() {}

    record Ping(int n) {}

    static final class Echo extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(0);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer calls) {
            return reply(request, calls + 1);
        }
    }

    /** Calls per second over {@code rounds} calls, after a warm-up of as many calls. */
    public static double callsPerSecond(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        return Process.run(() -> {
            Pid server = GenServer.start(new Echo());
            Ping ping = new Ping(1);
            for (int i = 0; i < rounds; i++) {
                GenServer.call(server, ping);
            }
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                GenServer.call(server, ping);
            }
            long elapsed = System.nanoTime() - start;
            GenServer.stop(server);
            return rounds / (elapsed / 1e9);
        });
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        for (int i = 0; i < 5; i++) {
            System.out.printf("gencall: %.0f calls/s%n", callsPerSecond(rounds));
        }
    }
}

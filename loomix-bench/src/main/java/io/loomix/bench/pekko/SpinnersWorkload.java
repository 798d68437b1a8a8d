package io.loomix.bench.pekko;

import io.loomix.bench.LatencySummary;
import io.loomix.bench.Measurement;
import io.loomix.bench.Workload;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/**
 * Ping-pong latency while 100 CPU-bound actors compete for the dispatcher.
 * An actor cannot be preempted, so the fair Pekko idiom for endless work is
 * to do a slice of it (~1 ms here) per message and send itself the next slice.
 *
 * <p>Everything is started and stopped from inside one coordinator actor.
 * Once every pool thread is busy with spinners, the fork-join pool keeps
 * taking work from its threads' own queues and never gets to tasks submitted
 * from outside the pool: a message told from the main thread (even a stop)
 * would wait forever. Messages between actors stay inside the pool and are
 * served in turn.
 */
final class SpinnersWorkload {
    private SpinnersWorkload() {}

    private static final int SPINNERS = 100;

    private enum Msg { START, SLICE }

    private record Finished(long[] latencies) {}

    static Measurement run(ActorSystem system, int rounds) {
        long iterationsPerSlice = Burn.iterationsPerMillisecond();
        var latencies = new CompletableFuture<long[]>();
        ActorRef coordinator = system.actorOf(
                Props.create(Coordinator.class, () -> new Coordinator(rounds, iterationsPerSlice, latencies)));
        coordinator.tell(Msg.START, ActorRef.noSender());
        return LatencySummary.of(latencies.join()).toMeasurement();
    }

    /** Owns the spinners and the ping-pong pair; stopping it stops them all. */
    private static final class Coordinator extends AbstractActor {
        private final int rounds;
        private final long iterationsPerSlice;
        private final CompletableFuture<long[]> result;
        private long[] latencies;

        Coordinator(int rounds, long iterationsPerSlice, CompletableFuture<long[]> result) {
            this.rounds = rounds;
            this.iterationsPerSlice = iterationsPerSlice;
            this.result = result;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.START, start -> startAll())
                    .match(Finished.class, finished -> {
                        latencies = finished.latencies();
                        getContext().stop(getSelf());
                    })
                    .build();
        }

        private void startAll() {
            for (int i = 0; i < SPINNERS; i++) {
                long seed = i + 1;
                getContext()
                        .actorOf(Props.create(Spinner.class, () -> new Spinner(iterationsPerSlice, seed)))
                        .tell(Msg.SLICE, getSelf());
            }
            ActorRef pong = getContext().actorOf(Props.create(PingPongWorkload.Pong.class, PingPongWorkload.Pong::new));
            getContext()
                    .actorOf(Props.create(TimedPing.class, () -> new TimedPing(rounds, pong)))
                    .tell(PingPongWorkload.Msg.START, getSelf());
        }

        /** Runs after every child has stopped, so a warm-up leaves no spinner behind. */
        @Override
        public void postStop() {
            if (latencies != null) result.complete(latencies);
            else result.completeExceptionally(new IllegalStateException("stopped before the ping-pong finished"));
        }
    }

    private static final class Spinner extends AbstractActor {
        private final long iterationsPerSlice;
        private long state;

        Spinner(long iterationsPerSlice, long seed) {
            this.iterationsPerSlice = iterationsPerSlice;
            this.state = seed;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.SLICE, slice -> {
                        state = Burn.work(state, iterationsPerSlice);
                        getSelf().tell(Msg.SLICE, getSelf());
                    })
                    .build();
        }
    }

    /** Times each round trip on its own with the monotonic clock. */
    private static final class TimedPing extends AbstractActor {
        private final ActorRef pong;
        private final long[] nanos;
        private final long limitNanos;
        private long startedAt;
        private long sentAt;
        private int completed;

        TimedPing(int rounds, ActorRef pong) {
            this.pong = pong;
            this.nanos = new long[rounds];
            this.limitNanos = Workload.spinnersTimeLimitNanos(rounds);
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(PingPongWorkload.Msg.START, go -> {
                        startedAt = System.nanoTime();
                        ping();
                    })
                    .matchEquals(PingPongWorkload.Msg.PONG, reply -> {
                        long now = System.nanoTime();
                        nanos[completed++] = now - sentAt;
                        if (completed == nanos.length || now - startedAt >= limitNanos) {
                            getContext().getParent().tell(new Finished(Arrays.copyOf(nanos, completed)), getSelf());
                        } else {
                            ping();
                        }
                    })
                    .build();
        }

        private void ping() {
            sentAt = System.nanoTime();
            pong.tell(PingPongWorkload.Msg.PING, getSelf());
        }
    }
}

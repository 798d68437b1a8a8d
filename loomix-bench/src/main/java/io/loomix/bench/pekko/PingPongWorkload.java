package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/** Two actors, R round trips. */
final class PingPongWorkload {
    private PingPongWorkload() {}

    enum Msg { START, PING, PONG }

    static Measurement run(ActorSystem system, int rounds) {
        var elapsed = new CompletableFuture<Long>();
        ActorRef pong = system.actorOf(Props.create(Pong.class, Pong::new));
        ActorRef ping = system.actorOf(Props.create(Ping.class, () -> new Ping(rounds, pong, elapsed)));
        ping.tell(Msg.START, ActorRef.noSender());
        long nanos = elapsed.join();
        Stopping.stopAndWait(List.of(ping, pong));
        return Measurement.rate(rounds, nanos);
    }

    private static final class Ping extends AbstractActor {
        private final int rounds;
        private final ActorRef pong;
        private final CompletableFuture<Long> elapsed;
        private long start;
        private int completed;

        Ping(int rounds, ActorRef pong, CompletableFuture<Long> elapsed) {
            this.rounds = rounds;
            this.pong = pong;
            this.elapsed = elapsed;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.START, go -> {
                        start = System.nanoTime();
                        pong.tell(Msg.PING, getSelf());
                    })
                    .matchEquals(Msg.PONG, reply -> {
                        if (++completed == rounds) elapsed.complete(System.nanoTime() - start);
                        else pong.tell(Msg.PING, getSelf());
                    })
                    .build();
        }
    }

    /** Answers every PING to its sender; the spinners workload reuses it. */
    static final class Pong extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.PING, ping -> getSender().tell(Msg.PONG, getSelf()))
                    .build();
        }
    }
}

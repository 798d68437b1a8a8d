package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/** Savina Counting with many senders: 100 actors flood one counting actor. */
final class FanInWorkload {
    private FanInWorkload() {}

    private static final int SENDERS = 100;

    private enum Msg { START, COUNT_ME }

    static Measurement run(ActorSystem system, int messages) {
        int perSender = messages / SENDERS;
        int total = perSender * SENDERS;
        var finished = new CompletableFuture<Long>();
        long start = System.nanoTime();
        ActorRef receiver = system.actorOf(Props.create(Receiver.class, () -> new Receiver(total, finished)));
        List<ActorRef> actors = new ArrayList<>(List.of(receiver));
        for (int i = 0; i < SENDERS; i++) {
            ActorRef sender = system.actorOf(Props.create(Sender.class, () -> new Sender(perSender, receiver)));
            sender.tell(Msg.START, ActorRef.noSender());
            actors.add(sender);
        }
        long nanos = finished.join() - start;
        Stopping.stopAndWait(actors);
        return Measurement.rate(total, nanos);
    }

    private static final class Receiver extends AbstractActor {
        private final int total;
        private final CompletableFuture<Long> finished;
        private int counted;

        Receiver(int total, CompletableFuture<Long> finished) {
            this.total = total;
            this.finished = finished;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.COUNT_ME, m -> {
                        if (++counted == total) finished.complete(System.nanoTime());
                    })
                    .build();
        }
    }

    private static final class Sender extends AbstractActor {
        private final int count;
        private final ActorRef receiver;

        Sender(int count, ActorRef receiver) {
            this.count = count;
            this.receiver = receiver;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.START, go -> {
                        for (int i = 0; i < count; i++) receiver.tell(Msg.COUNT_ME, getSelf());
                    })
                    .build();
        }
    }
}

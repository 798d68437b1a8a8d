package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/** Savina ThreadRing: 503 actors pass a counting-down token until it reaches 0. */
final class RingWorkload {
    private RingWorkload() {}

    private static final int RING_SIZE = 503;

    private record Next(ActorRef next) {}

    static Measurement run(ActorSystem system, int hops) {
        var finished = new CompletableFuture<Long>();
        List<ActorRef> nodes = new ArrayList<>(RING_SIZE);
        for (int i = 0; i < RING_SIZE; i++) {
            nodes.add(system.actorOf(Props.create(Node.class, () -> new Node(finished))));
        }
        for (int i = 0; i < RING_SIZE; i++) {
            nodes.get(i).tell(new Next(nodes.get((i + 1) % RING_SIZE)), ActorRef.noSender());
        }
        long start = System.nanoTime();
        nodes.getFirst().tell(hops, ActorRef.noSender());
        long nanos = finished.join() - start;
        Stopping.stopAndWait(nodes);
        return Measurement.rate(hops, nanos);
    }

    private static final class Node extends AbstractActor {
        private final CompletableFuture<Long> finished;
        private ActorRef next;

        Node(CompletableFuture<Long> finished) {
            this.finished = finished;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Next.class, link -> next = link.next())
                    .match(Integer.class, token -> {
                        if (token == 0) finished.complete(System.nanoTime());
                        else next.tell(token - 1, getSelf());
                    })
                    .build();
        }
    }
}

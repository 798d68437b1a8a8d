package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/** A parent spawns N children and sends each one message; each replies and stops. */
final class SpawnWorkload {
    private SpawnWorkload() {}

    private enum Msg { START, GO, DONE }

    static Measurement run(ActorSystem system, int n) {
        var elapsed = new CompletableFuture<Long>();
        ActorRef parent = system.actorOf(Props.create(Parent.class, () -> new Parent(n, elapsed)));
        parent.tell(Msg.START, ActorRef.noSender());
        long nanos = elapsed.join();
        Stopping.stopAndWait(parent);
        return Measurement.of(nanos / (double) n, Map.of("elapsed_ms", nanos / 1e6));
    }

    private static final class Parent extends AbstractActor {
        private static final Props CHILD = Props.create(Child.class, Child::new);
        private final int n;
        private final CompletableFuture<Long> elapsed;
        private long start;
        private int done;

        Parent(int n, CompletableFuture<Long> elapsed) {
            this.n = n;
            this.elapsed = elapsed;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.START, start -> spawnChildren())
                    .matchEquals(Msg.DONE, reply -> {
                        if (++done == n) elapsed.complete(System.nanoTime() - start);
                    })
                    .build();
        }

        private void spawnChildren() {
            start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                getContext().actorOf(CHILD).tell(Msg.GO, getSelf());
            }
        }
    }

    private static final class Child extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.GO, go -> {
                        getSender().tell(Msg.DONE, getSelf());
                        getContext().stop(getSelf());
                    })
                    .build();
        }
    }
}

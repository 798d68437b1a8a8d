package io.loomix.bench.pekko;

import io.loomix.bench.HeapProbe;
import io.loomix.bench.Measurement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/**
 * N actors that announce themselves and then wait; the heap they hold, per
 * actor. The delta includes the parent's bookkeeping of its children, as the
 * BEAM peer's includes the parent's list of pids.
 */
final class IdleWorkload {
    private IdleWorkload() {}

    private enum Msg { START, READY }

    static Measurement run(ActorSystem system, int n) throws InterruptedException {
        long before = HeapProbe.usedAfterGc();
        var allReady = new CompletableFuture<Void>();
        ActorRef parent = system.actorOf(Props.create(Parent.class, () -> new Parent(n, allReady)));
        parent.tell(Msg.START, ActorRef.noSender());
        allReady.join();
        long after = HeapProbe.usedAfterGc();
        Stopping.stopAndWait(parent);
        return Measurement.of((after - before) / (double) n,
                Map.of("heap_before_mb", before / 1048576.0, "heap_after_mb", after / 1048576.0));
    }

    private static final class Parent extends AbstractActor {
        private static final Props CHILD = Props.create(Child.class, Child::new);
        private final int n;
        private final CompletableFuture<Void> allReady;
        private int ready;

        Parent(int n, CompletableFuture<Void> allReady) {
            this.n = n;
            this.allReady = allReady;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.START, start -> {
                        for (int i = 0; i < n; i++) getContext().actorOf(CHILD);
                    })
                    .matchEquals(Msg.READY, child -> {
                        if (++ready == n) allReady.complete(null);
                    })
                    .build();
        }
    }

    /** Waits for nothing in particular, like a BEAM process blocked in receive. */
    private static final class Child extends AbstractActor {
        @Override
        public void preStart() {
            getContext().getParent().tell(Msg.READY, getSelf());
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().build();
        }
    }
}

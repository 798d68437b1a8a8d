package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/**
 * N actors wait; a coordinator tells each one, each replies once and stops, the coordinator
 * counts the replies. Timed from when every child has said it is ready, as the BEAM peer times
 * it after the spawn. The send loop runs inside one message handler, as the other peers' sender
 * sends in one go before it takes any reply. {@code aged}: a full collection first, once every
 * child is ready, which leaves them all in the old generation (the harness's broadcast_aged).
 */
final class BroadcastWorkload {
    private BroadcastWorkload() {}

    private enum Msg { START, READY, GO, DONE }

    private record Phases(long sendNanos, long collectNanos) {}

    static Measurement run(ActorSystem system, int n, boolean aged) {
        var result = new CompletableFuture<Phases>();
        ActorRef coordinator = system.actorOf(Props.create(Coordinator.class, () -> new Coordinator(n, aged, result)));
        coordinator.tell(Msg.START, ActorRef.noSender());
        Phases phases = result.join();
        Stopping.stopAndWait(coordinator);
        double sendMs = phases.sendNanos() / 1e6;
        double collectMs = phases.collectNanos() / 1e6;
        return Measurement.of(sendMs + collectMs, Map.of("send_ms", sendMs, "collect_ms", collectMs,
                "collect_us_per_process", phases.collectNanos() / 1e3 / n));
    }

    private static final class Coordinator extends AbstractActor {
        private static final Props CHILD = Props.create(Child.class, Child::new);
        private final int n;
        private final boolean aged;
        private final CompletableFuture<Phases> result;
        private final List<ActorRef> children;
        private int ready;
        private int done;
        private long sendStart;
        private long sendEnd;

        Coordinator(int n, boolean aged, CompletableFuture<Phases> result) {
            this.n = n;
            this.aged = aged;
            this.result = result;
            this.children = new ArrayList<>(n);
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(Msg.START, start -> {
                        for (int i = 0; i < n; i++) children.add(getContext().actorOf(CHILD));
                    })
                    .matchEquals(Msg.READY, r -> {
                        if (++ready == n) broadcast();
                    })
                    .matchEquals(Msg.DONE, d -> {
                        if (++done == n) result.complete(new Phases(sendEnd - sendStart, System.nanoTime() - sendEnd));
                    })
                    .build();
        }

        private void broadcast() {
            if (aged) System.gc();
            sendStart = System.nanoTime();
            for (ActorRef child : children) child.tell(Msg.GO, getSelf());
            sendEnd = System.nanoTime();
            children.clear();
        }
    }

    /** Says it is ready, then answers the one message it gets and stops. */
    private static final class Child extends AbstractActor {
        @Override
        public void preStart() {
            getContext().getParent().tell(Msg.READY, getSelf());
        }

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

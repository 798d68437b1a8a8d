package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The gen_server:call counterpart: a typed actor that replies at once, and
 * R sequential {@code AskPattern.ask} round trips against it.
 */
final class GenCallWorkload {
    private GenCallWorkload() {}

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private record Call(ActorRef<Reply> replyTo) {}

    private enum Reply { PONG }

    static Measurement run(ActorSystem system, int calls) {
        ActorRef<Call> server = Adapter.spawnAnonymous(system, server());
        var caller = new SequentialCaller(server, Adapter.toTyped(system.scheduler()), system.dispatcher(), calls);
        long start = System.nanoTime();
        caller.next();
        caller.done.join();
        long nanos = System.nanoTime() - start;
        system.stop(Adapter.toClassic(server));
        return Measurement.rate(calls, nanos);
    }

    private static Behavior<Call> server() {
        return Behaviors.receiveMessage(call -> {
            call.replyTo().tell(Reply.PONG);
            return Behaviors.same();
        });
    }

    /**
     * Issues each ask when the previous reply has arrived, continuing on the
     * actor system's dispatcher, the Pekko idiom for future callbacks. Two
     * alternatives are much slower on 2 cores, both for thread hand-offs
     * rather than for anything Pekko does: blocking on join() (~30 µs a call)
     * and plain whenComplete (~20 µs), which Scala's CompletionStage adapter
     * turns into whenCompleteAsync on the common pool. This way: ~2-3 µs.
     */
    private static final class SequentialCaller {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final ActorRef<Call> server;
        private final Scheduler scheduler;
        private final Executor dispatcher;
        private int remaining;

        SequentialCaller(ActorRef<Call> server, Scheduler scheduler, Executor dispatcher, int calls) {
            this.server = server;
            this.scheduler = scheduler;
            this.dispatcher = dispatcher;
            this.remaining = calls;
        }

        void next() {
            if (remaining-- == 0) {
                done.complete(null);
                return;
            }
            AskPattern.ask(server, Call::new, ASK_TIMEOUT, scheduler).whenCompleteAsync((pong, failure) -> {
                if (failure != null) done.completeExceptionally(failure);
                else next();
            }, dispatcher);
        }
    }
}

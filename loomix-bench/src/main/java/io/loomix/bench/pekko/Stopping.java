package io.loomix.bench.pekko;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.pattern.Patterns;

/** Stops actors and waits until they are gone, so a warm-up run leaves nothing behind. */
final class Stopping {
    private Stopping() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static void stopAndWait(ActorRef actor) {
        stopAndWait(List.of(actor));
    }

    static void stopAndWait(List<ActorRef> actors) {
        CompletableFuture.allOf(actors.stream()
                        .map(actor -> Patterns.gracefulStop(actor, TIMEOUT).toCompletableFuture())
                        .toArray(CompletableFuture[]::new))
                .join();
    }
}

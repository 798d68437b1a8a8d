package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import org.apache.pekko.actor.ActorSystem;

/** One workload run on an existing actor system; called once to warm up, once for real. */
@FunctionalInterface
interface PekkoWorkload {
    Measurement run(ActorSystem system, int size) throws Exception;
}

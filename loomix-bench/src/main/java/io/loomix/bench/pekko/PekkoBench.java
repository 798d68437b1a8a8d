package io.loomix.bench.pekko;

import io.loomix.bench.Measurement;
import io.loomix.bench.Workload;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;

/**
 * Apache Pekko peer of the side-by-side benchmarks:
 * {@code PekkoBench <workload> <size>} prints one RESULT line.
 *
 * <p>Choices, so the comparison is with Pekko as its users run it:
 * <ul>
 *   <li>Classic actors ({@code AbstractActor}) everywhere except gencall:
 *       they are the thinnest layer over Pekko's mailboxes and dispatchers
 *       (typed actors run on top of them). gencall uses a typed actor and
 *       {@code AskPattern.ask}, the typed request-reply idiom.</li>
 *   <li>The default dispatcher and configuration, untouched: a fork-join pool
 *       with parallelism-min 8 (so 8 threads on 2 cores) and throughput 5.
 *       Pekko's tuning advice is per application; no single setting is the
 *       recommended one for all these workloads.</li>
 *   <li>One actor system per JVM; each workload runs at a tenth of its size
 *       to warm up the JIT (repeated for the harness's warm-up time,
 *       {@link Workload#warmupMillis}), then for real.</li>
 * </ul>
 */
public final class PekkoBench {
    private PekkoBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PekkoBench <" + Workload.ids().replace(',', '|') + "> <size>");
            System.exit(2);
        }
        Workload workload = Workload.byId(args[0]);
        int size = Integer.parseInt(args[1]);
        ActorSystem system = ActorSystem.create("pekko-bench");
        try {
            PekkoWorkload run = workload(workload);
            Workload.warmUp(() -> {
                try {
                    run.run(system, workload.warmupSize(size));
                } catch (Exception e) {
                    throw new IllegalStateException("the warm-up run of " + workload.id() + " failed", e);
                }
            });
            Measurement measurement = run.run(system, size);
            System.out.println(measurement.resultLine("pekko", workload, size));
        } finally {
            system.terminate();
            awaitTermination(system);
        }
    }

    /** Pekko's threads are not daemons: a system that does not stop would keep this JVM alive. */
    private static void awaitTermination(ActorSystem system) throws InterruptedException, ExecutionException {
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("actor system did not terminate within 30 s");
            Runtime.getRuntime().halt(1);
        }
    }

    private static PekkoWorkload workload(Workload workload) {
        return switch (workload) {
            case SPAWN -> SpawnWorkload::run;
            case IDLE -> IdleWorkload::run;
            case PINGPONG -> PingPongWorkload::run;
            case RING -> RingWorkload::run;
            case FANIN -> FanInWorkload::run;
            // A classic or typed actor takes messages strictly in order: there is
            // no receive that picks {Ref, _} out of a mailbox, so nothing to time.
            case CALL_BACKLOG -> (system, size) -> Measurement.unsupported("no selective receive");
            case SPINNERS -> SpinnersWorkload::run;
            case GENCALL -> GenCallWorkload::run;
            case BROADCAST -> (system, size) -> BroadcastWorkload.run(system, size, false);
            case BROADCAST_AGED -> (system, size) -> BroadcastWorkload.run(system, size, true);
            // Pekko has no server behaviour apart from its actors: the idle actor is its idle server.
            case IDLE_GENSERVER -> IdleWorkload::run;
            // Pekko remoting is not part of this comparison: dist is Loomix<->Loomix against erl<->erl
            case DIST_ONEWAY, DIST_RTT, DIST_CALL, DIST_SPAWN -> (system, size) -> Measurement.unsupported("remoting not compared");
        };
    }
}

package io.loomix.internal;

import io.loomix.Pid;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the way back from a park a few thousand times before user code can park many processes.
 *
 * <p>Why: C2 compiles {@code Proc.await}, {@code Proc.receive} and {@code Kernel.runBody} while
 * processes enter them; if a program parks a million processes before any has come back out of a
 * park, the code after the park has no profile and unresolved constant-pool entries, so C2 puts
 * uncommon traps there. Every parked process is frozen inside that compiled frame, and when they are
 * woken each one hits the trap on its own: one full deoptimization, about 10 us, per process (the
 * broadcast workload's collect phase, measured in docs/notes/ports.md). Profiles and resolved
 * entries outlive recompilation, so once this has run C2 compiles both sides of those branches.
 *
 * <p>The processes here use the kernel directly, never {@code Kernel.get()}: this runs while that
 * method's holder class is being initialised, and a call to it would wait for this to finish.
 */
final class WarmUp {
    /** Off with {@code -Dloomix.warmUp=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("loomix.warmUp"));
    private static final int ROUNDS = Integer.getInteger("loomix.warmUp.rounds", 4);
    private static final int BATCH = 500;
    private static final Object GO = "go";

    private WarmUp() {}

    /** Blocks the caller until done (2,000 park-wake-return cycles), or 10 s at most. */
    static void run(Kernel kernel) {
        if (!ENABLED || !kernel.ownScheduler()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        kernel.spawn(() -> {
            try {
                rounds(kernel);
            } finally {
                done.countDown();
            }
        }, false, false);
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean finished = done.await(10, TimeUnit.SECONDS);
            // The user's first look at the process list must not see these exiting.
            while (finished && kernel.processCount() > 0 && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            if (!finished) {
                System.getLogger("io.loomix.scheduler").log(System.Logger.Level.DEBUG,
                        "the JIT warm-up did not finish within 10 s; going on without waiting for it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Each round: a batch of children park in receive, are woken, reply and return normally. */
    private static void rounds(Kernel kernel) {
        Pid parent = kernel.self();
        Pid[] children = new Pid[BATCH];
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < BATCH; i++) {
                children[i] = kernel.spawn(() -> {
                    kernel.send(parent, GO);
                    kernel.receive(m -> m, -1, () -> null, null);
                    kernel.send(parent, GO);
                }, false, false).pid();
            }
            for (int i = 0; i < BATCH; i++) {
                kernel.receive(m -> m, -1, () -> null, null);
            }
            for (Pid child : children) {
                kernel.send(child, GO);
            }
            for (int i = 0; i < BATCH; i++) {
                kernel.receive(m -> m, -1, () -> null, null);
            }
        }
    }
}

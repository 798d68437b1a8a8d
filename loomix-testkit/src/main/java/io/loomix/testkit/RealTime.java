package io.loomix.testkit;

import io.loomix.Clauses;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The kit's own waits, in real time even under {@link ManualClock}: a probe's timeout belongs to
 * the test, not to the code under test, and an expectation that fails must fail after its
 * timeout rather than wait for an advance that never comes. In real time this is a plain
 * timed receive; under manual time a JDK timer sends the waiting process a tagged message.
 */
final class RealTime {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("loomix-testkit-real-time").unstarted(r));

    /** What the JDK timer sends when a wait under manual time ends. */
    private record Elapsed(Ref tag) {}

    private RealTime() {}

    /** Process.receive with a timeout in real time; null when it passes. */
    static <R> R receive(Duration within, Clauses<? extends R> clauses) {
        if (!ManualClock.anyInstalled() || within.isZero()) {
            // A zero timeout only looks at the mailbox, which manual time does not change.
            return Process.receive(within, clauses, () -> null);
        }
        Ref tag = Process.makeRef();
        Pid self = Process.self();
        var claimed = new AtomicBoolean();
        ScheduledFuture<?> elapse = TIMER.schedule(() -> {
            if (claimed.compareAndSet(false, true)) {
                Process.send(self, new Elapsed(tag));
            }
        }, within.toNanos(), TimeUnit.NANOSECONDS);
        Object got = null;
        try {
            got = Process.receive(m -> m instanceof Elapsed e && e.tag().equals(tag) ? e : clauses.match(m));
        } finally {
            elapse.cancel(false);
            if (!claimed.compareAndSet(false, true) && !(got instanceof Elapsed)) {
                // The JDK timer won: its message is sent or on its way; take it out so none is left behind.
                Process.receive(m -> m instanceof Elapsed e && e.tag().equals(tag) ? e : null);
            }
        }
        if (got instanceof Elapsed) {
            return null;
        }
        @SuppressWarnings("unchecked")
        R r = (R) got;
        return r;
    }

    /** Process.sleep in real time. */
    static void sleep(Duration duration) {
        if (ManualClock.anyInstalled()) {
            receive(duration, m -> null);
        } else {
            Process.sleep(duration);
        }
    }

    /** A pause of a plain thread (JUnit's, before and after a test), or of a process that takes no signals meanwhile. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}

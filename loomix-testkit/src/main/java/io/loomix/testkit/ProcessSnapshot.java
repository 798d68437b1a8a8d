package io.loomix.testkit;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.ProcessInfo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The processes alive at one moment, to check later that a test left none of its own behind.
 * {@link ProcessExtension} does this around every test; without it:
 *
 * {@snippet :
 * ProcessSnapshot before = ProcessSnapshot.take();
 * runTheTest();
 * before.assertNoneLeft(Duration.ofSeconds(1));
 * }
 *
 * <p>It compares pids, so it is exact only while no other test runs in the same JVM at the same
 * time (JUnit's default, sequential execution).
 */
public final class ProcessSnapshot {
    private final Set<Pid> alive;

    private ProcessSnapshot(Set<Pid> alive) {
        this.alive = alive;
    }

    /** The processes alive now. */
    public static ProcessSnapshot take() {
        return new ProcessSnapshot(Set.copyOf(Process.list()));
    }

    /** The processes alive now that were not alive when this snapshot was taken. */
    public List<Pid> started() {
        return Process.list().stream().filter(p -> !alive.contains(p)).sorted().toList();
    }

    /**
     * Fails, with each one's {@link ProcessInfo}, if processes started since this snapshot are
     * still alive after {@code grace}: time for linked processes to receive the exit signal of a
     * test process that just ended, and for servers to finish stopping. Returns as soon as none
     * is left, so a clean test does not wait.
     */
    public void assertNoneLeft(Duration grace) {
        Objects.requireNonNull(grace, "grace must not be null");
        long deadline = System.nanoTime() + grace.toNanos();
        long pauseMillis = 1;
        List<Pid> left = started();
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            pause(pauseMillis);
            pauseMillis = Math.min(50, pauseMillis * 2);
            left = started();
        }
        if (!left.isEmpty()) {
            String infos = left.stream()
                    .map(p -> Process.info(p).map(ProcessSnapshot::describe).orElse(p + " (exited meanwhile)"))
                    .collect(Collectors.joining("\n  "));
            fail(left.size() + " process(es) the test started are still alive after " + grace
                    + "; stop them (or link them to the test process) before the test ends:\n  " + infos);
        }
    }

    private static String describe(ProcessInfo i) {
        return i.pid() + " " + i.initialCall() + ", " + i.status()
                + (i.registeredName() == null ? "" : ", registered as " + i.registeredName())
                + ", " + i.messageQueueLen() + " queued, links " + i.links() + ", monitored by " + i.monitoredBy();
    }

    // Usually called from the test's own thread, which is not a process; a plain sleep also works in one.
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for the test's processes to exit");
        }
    }
}

package io.loomix.dist.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits for lines the runtime logs (through {@link CapturingLoggerFinder}). */
public final class LogCapture implements AutoCloseable {
    public LogCapture() {
        CapturingLoggerFinder.LINES.clear();
    }

    /** Waits for a logged line containing every one of {@code parts}. */
    public String await(Duration timeout, String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder seen = new StringBuilder();
        while (true) {
            String l = CapturingLoggerFinder.LINES.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new AssertionError("nothing logged containing " + String.join(" and ", parts) + "; logged:\n" + seen);
            }
            seen.append(l).append('\n');
            boolean all = true;
            for (String p : parts) {
                all &= l.contains(p);
            }
            if (all) {
                return l;
            }
        }
    }

    @Override
    public void close() {
        CapturingLoggerFinder.LINES.clear();
    }
}

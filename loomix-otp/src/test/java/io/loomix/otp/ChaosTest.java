package io.loomix.otp;

import io.loomix.otp.bench.ChaosSoak;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A three-level tree under random kills ({@link ChaosSoak}): after the kills the tree must be
 * whole, every worker reachable by its name, and the node's process count back at its baseline
 * once the tree is stopped. With slow inits the kills land while children start, which once hung
 * a supervisor (a child killed before acking its init left its starter waiting forever). A long
 * run: {@code ChaosSoak.main}.
 */
class ChaosTest {
    /** Long runs: minutes are allowed on a loaded two-core machine. */
    @RegisterExtension
    static final ProcessExtension loomix = ProcessExtension.create().withTimeout(Duration.ofMinutes(5));

    @Test
    void randomKillsLeaveAWholeTreeAndNoLeakedProcesses() {
        ChaosSoak.Report r = ChaosSoak.run(Duration.ofSeconds(2), Duration.ZERO, 42);
        assertTrue(r.kills() > 0, "some kills happened: " + r);
    }

    @Test
    void randomKillsDuringSlowInitsLeaveAWholeTreeAndNoLeakedProcesses() {
        ChaosSoak.Report r = ChaosSoak.run(Duration.ofSeconds(4), Duration.ofMillis(3), 7);
        assertTrue(r.kills() > 0, "some kills happened: " + r);
    }
}

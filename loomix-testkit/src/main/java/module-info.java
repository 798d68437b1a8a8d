/**
 * Loomix's test kit: a JUnit 5 extension that runs tests as processes
 * ({@link io.loomix.testkit.ProcessExtension}), mailbox assertions with timeouts
 * ({@link io.loomix.testkit.Probe}), crash-report capture ({@link io.loomix.testkit.CrashReports})
 * a check for processes left behind ({@link io.loomix.testkit.ProcessSnapshot}) and manual time for
 * the runtime's timers ({@link io.loomix.testkit.ManualClock}). Uses the core's API, and the
 * runtime's clock through the one package core exports to the kit ({@code io.loomix.internal.clock}).
 */
module io.loomix.testkit {
    requires transitive io.loomix.core;
    requires transitive org.junit.jupiter.api;
    requires java.logging; // crash reports are read where System.Logger sends them by default
    exports io.loomix.testkit;
}

/**
 * Loomix's test kit: a JUnit 5 extension that runs tests as processes
 * ({@link io.loomix.testkit.ProcessExtension}), mailbox assertions with timeouts
 * ({@link io.loomix.testkit.Probe}), crash-report capture ({@link io.loomix.testkit.CrashReports})
 * and a check for processes left behind ({@link io.loomix.testkit.ProcessSnapshot}).
 * Uses only the core's API.
 */
module io.loomix.testkit {
    requires transitive io.loomix.core;
    requires transitive org.junit.jupiter.api;
    requires java.logging; // crash reports are read where System.Logger sends them by default
    exports io.loomix.testkit;
}

package io.loomix.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The spinners figures: percentiles by nearest rank, and stalls as the share of the run they took. */
class LatencySummaryTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    @Test
    void stallsAreRoundTripsOverOneMillisecondAndTheirShareOfTheRun() {
        long[] nanos = new long[100];
        java.util.Arrays.fill(nanos, 10 * US);
        nanos[7] = 62 * MS;
        nanos[50] = 2 * MS;
        nanos[90] = MS; // exactly 1 ms is not a stall
        LatencySummary s = LatencySummary.of(nanos);
        assertEquals(2, s.stalls());
        assertEquals(62.0, s.longestStallMillis(), 1e-9);
        double total = 97 * 10 * US + 62 * MS + 2 * MS + MS;
        assertEquals(64 * MS / total, s.stallShare(), 1e-12);
        assertEquals(10.0, s.p50Micros(), 1e-9);
        assertEquals(2_000.0, s.p99Micros(), 1e-9);
    }

    @Test
    void aRunWithoutStallsHasShareZero() {
        LatencySummary s = LatencySummary.of(new long[] {5 * US, 7 * US, 900 * US});
        assertEquals(0, s.stalls());
        assertEquals(0.0, s.stallShare());
        assertEquals(0.9, s.longestStallMillis(), 1e-9);
    }

    @Test
    void theMeasurementCarriesTheStallsBesideTheP99() {
        Measurement m = LatencySummary.of(new long[] {3 * MS, 1 * US}).toMeasurement();
        assertEquals(3_000.0, m.value(), 1e-9);
        assertEquals(1, m.extra().get("stalls"));
        assertTrue(m.extra().containsKey("longest_stall_ms"));
        assertTrue(m.extra().containsKey("stall_share"));
    }

    @Test
    void noSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.of(new long[0]));
    }

    @Test
    void newWorkloadsParseRankAndNeedRoomForAMillionProcesses() {
        BenchOptions o = BenchOptions.parse("--quick", "--only", "idle_genserver,broadcast");
        assertEquals(List.of(Workload.BROADCAST, Workload.IDLE_GENSERVER), o.workloads());
        assertTrue(Workload.BROADCAST.lowerIsBetter());
        assertTrue(Workload.IDLE_GENSERVER.lowerIsBetter());
        assertTrue(Workload.BROADCAST.holdsManyProcesses());
        assertFalse(Workload.PINGPONG.holdsManyProcesses());
        assertTrue(JvmPeer.loomix().command(Workload.BROADCAST, 10).command().contains("-Xmx16g"));
        assertFalse(JvmPeer.loomix().command(Workload.RING, 10).command().contains("-Xmx16g"));
    }
}

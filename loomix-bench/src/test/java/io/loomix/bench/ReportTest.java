package io.loomix.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The harness's arithmetic: ratios must say "> 1 is better for Loomix" whatever the metric's direction. */
class ReportTest {
    private static Report.Entry entry(Workload w, String peer, double value) {
        Object parsed = Json.parse("{\"peer\":\"" + peer + "\",\"workload\":\"" + w.id() + "\",\"size\":1,\"metric\":\""
                + w.metric() + "\",\"value\":" + value + ",\"extra\":{\"n\":1}}");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) parsed;
        return new Report.Entry(w, peer, 1, new PeerRun.Outcome(result, null, 1));
    }

    private static Report report(List<Report.Entry> entries) {
        MachineInfo m = new MachineInfo(2, 1, "cpu", "os", "java", "erl", "pekko");
        return new Report(true, Instant.EPOCH, Duration.ZERO, m, List.of(Workload.values()), entries);
    }

    @Test
    void higherIsBetterMetricsDivideLoomixByPeer() {
        Report r = report(List.of(entry(Workload.PINGPONG, "loomix", 3e6), entry(Workload.PINGPONG, "beam", 2e6)));
        assertEquals(1.5, r.ratio(Workload.PINGPONG, "beam").orElseThrow(), 1e-9);
    }

    @Test
    void lowerIsBetterMetricsDividePeerByLoomix() {
        Report r = report(List.of(entry(Workload.SPAWN, "loomix", 500), entry(Workload.SPAWN, "beam", 1500)));
        assertEquals(3.0, r.ratio(Workload.SPAWN, "beam").orElseThrow(), 1e-9);
    }

    @Test
    void aMissingPeerGivesNoRatio() {
        Report r = report(List.of(entry(Workload.RING, "loomix", 1e6)));
        assertTrue(r.ratio(Workload.RING, "pekko").isEmpty());
    }

    @Test
    void jsonRoundTripsNestedObjects() {
        Object parsed = Json.parse("{\"a\":1.5,\"b\":\"x\\\"y\",\"c\":{\"d\":null,\"e\":[1,2]}}");
        assertEquals(parsed, Json.parse(Json.write(parsed)));
        assertInstanceOf(Map.class, ((Map<?, ?>) parsed).get("c"));
    }

    @Test
    void malformedJsonIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":"));
    }
}

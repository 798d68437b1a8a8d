package io.loomix.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one peer measured for one workload. {@code value} is null when the
 * peer cannot express the workload at all (Pekko has no selective receive);
 * {@code extra} carries secondary numbers or a note.
 */
public record Measurement(Double value, Map<String, Object> extra) {

    /** Extras are kept sorted by name, so RESULT lines read the same from run to run. */
    public Measurement {
        extra = Collections.unmodifiableMap(new TreeMap<>(extra));
    }

    public static Measurement of(double value, Map<String, Object> extra) {
        return new Measurement(value, extra);
    }

    /** A per-second rate, with the elapsed time kept as an extra. */
    public static Measurement rate(long count, long elapsedNanos) {
        return of(count / (elapsedNanos / 1e9), Map.of("elapsed_ms", elapsedNanos / 1e6));
    }

    public static Measurement unsupported(String note) {
        return new Measurement(null, Map.of("note", note));
    }

    /** The protocol line BenchMain looks for on a peer's stdout. */
    public String resultLine(String peer, Workload workload, int size) {
        var json = new LinkedHashMap<String, Object>();
        json.put("peer", peer);
        json.put("workload", workload.id());
        json.put("size", size);
        json.put("metric", workload.metric());
        json.put("value", value);
        json.put("extra", extra);
        return "RESULT " + Json.write(json);
    }
}

package io.loomix.dist.global;

import io.loomix.Atom;
import io.loomix.Tuple;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * prevent_overlapping_partitions, OTP 25's default: when a node loses its connection to another,
 * it tells every node it knows ({@code {lost_connection, Self, XCreation, OpId, Lost}}); a node
 * still connected to both then asks the far one to disconnect it ({@code remove_connection}), so
 * the cluster splits into partitions that do not overlap. This keeps the bookkeeping: reports
 * already handled, and the nodes we asked to go (whose nodedown is then not reported again).
 * The name server's process owns it.
 */
final class Partitions {
    static final Atom LOST_CONNECTION = Atom.of("lost_connection");
    /** global.erl forgets a report after an hour. */
    private static final long FORGET_NANOS = 3_600_000_000_000L;

    private record Seen(Object creation, long opId, long at) {}

    private final Map<List<Atom>, Seen> seen = new HashMap<>();
    private final Set<Atom> removing = new HashSet<>();
    /** Stands for this incarnation of the node in its reports (erl: creation_extension + creation). */
    private final long creation = ThreadLocalRandom.current().nextLong(1L << 59) + 1;
    private long ops;

    /** We asked {@code node} to go (or it asked us): its nodedown is expected, not a loss to report. */
    void removing(Atom node) {
        removing.add(node);
    }

    /** The report to send when the connection to {@code node} is lost; null when the loss was asked for. */
    Tuple lost(Atom self, Atom node) {
        if (removing.remove(node)) {
            return null;
        }
        return Tuple.of(LOST_CONNECTION, self, creation, ++ops, node);
    }

    /** Whether {@code report} is news: not a repeat of a report of the same incarnation already handled. */
    boolean fresh(Tuple report) {
        long now = System.nanoTime();
        seen.values().removeIf(s -> now - s.at() > FORGET_NANOS);
        List<Atom> key = List.of((Atom) report.get(1), (Atom) report.get(4));
        long opId = ((Number) report.get(3)).longValue();
        Seen s = seen.get(key);
        if (s != null && s.creation().equals(report.get(2)) && opId <= s.opId()) {
            return false;
        }
        seen.put(key, new Seen(report.get(2), opId, now));
        return true;
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.ExitReason;
import io.loomix.Process;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whatever the decoder makes can be sent as a message in strict mode (-Dloomix.strict=true in this
 * suite): distribution hands decoded terms straight to local processes.
 */
class DecodedValuesAreMessagesTest {
    record Point(long x, long y) {}

    @Test
    void everyDecodedKindPassesStrictMode() {
        TermRegistry types = TermRegistry.builder().record(Point.class, "point").build();
        List<Object> decoded = decodedValues(types);
        Process.run(() -> {
            for (Object m : decoded) {
                Process.send(Process.self(), m);
            }
            assertEquals(decoded.size(), Process.flush().size());
        });
    }

    /** Every kind of value the decoder makes, decoded from bytes (not built by hand). */
    static List<Object> decodedValues(TermRegistry types) {
        List<Object> out = new ArrayList<>();
        for (byte[] seed : MalformedInputTest.seeds()) {
            out.add(Terms.decode(seed, types, DecodeLimits.DEFAULT));
        }
        out.add(ExitReasons.fromTerm(Terms.decode(Terms.encode(new ExitReason.Crash(new IllegalStateException("x"))))));
        out.add(Terms.decode(Terms.encode(new Point(1, 2), types), types, DecodeLimits.DEFAULT));
        out.add(Terms.decode(Terms.encode(List.of(Atom.of("a"), Binary.of(255), "s", 1.5, true)), types,
                DecodeLimits.DEFAULT));
        return out;
    }
}

package io.loomix.dist.term;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The decoder under Jazzer. In the normal suite this runs in regression mode over the stored inputs
 * ({@code DecoderFuzzTestInputs/}: terms erl wrote, plain, compressed and in the old formats);
 * {@code JAZZER_FUZZ=1 mvn -pl loomix-dist -am test -Dtest=DecoderFuzzTest} fuzzes for the given time.
 *
 * <p>The property: any bytes either decode or throw {@link DecodeException}, nothing else; and what
 * decodes, encodes and decodes again to an equal value.
 */
class DecoderFuzzTest {
    /** Existing atoms only: a fuzzer making atoms by the million would fill the node's atom table. */
    private static final DecodeLimits LIMITS = DecodeLimits.DEFAULT.withMaxNewAtoms(0).withMaxUncompressedBytes(1 << 20);

    @FuzzTest(maxDuration = "30s")
    void decodeNeverFailsOtherwise(byte[] input) {
        Object term;
        try {
            term = new TermDecoder(TermRegistry.DEFAULT, LIMITS).reset(input, 0, input.length).readVersioned();
        } catch (DecodeException expected) {
            return;
        }
        byte[] again = Terms.encode(term);
        assertEquals(term, new TermDecoder(TermRegistry.DEFAULT, LIMITS).reset(again, 0, again.length).readVersioned());
    }
}

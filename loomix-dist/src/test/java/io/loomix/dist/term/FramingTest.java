package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.loomix.dist.term.RoundTripTest.bytes;
import static org.junit.jupiter.api.Assertions.*;

/** How a connection uses the codec: frames built around terms in one buffer, terms read out of a frame. */
class FramingTest {

    @Test
    void aConnectionFramesTermsInTheEncodersBuffer() {
        TermEncoder out = new TermEncoder();
        Object control = Tuple.of(6L, Atom.of(""), Atom.of("reg"));
        Object message = List.of("hello", 1L);
        out.reset().writeInt(0).writeByte(112).writeVersioned(control).writeVersioned(message);
        out.putInt(0, out.position() - 4);

        byte[] frame = out.toByteArray();
        TermDecoder in = new TermDecoder();
        int length = frame[3] & 0xFF;
        assertEquals(frame.length - 4, length);
        in.reset(frame, 5, length - 1);
        assertEquals(control, in.readVersioned());
        assertEquals(message, in.readVersioned());
        assertEquals(0, in.remaining());
        assertThrows(IndexOutOfBoundsException.class, () -> out.putInt(out.position() - 2, 1),
                "putInt only overwrites what was written");
    }

    @Test
    void termsAfterADistributionHeaderHaveNoVersionByteAndMayUseTheAtomCache() {
        // what follows a header 131,68,... : terms without 131, atoms as cache references
        byte[] afterHeader = bytes(104, 2, 82, 0, 82, 1, 97, 7);
        TermDecoder in = new TermDecoder();
        in.atomCacheRefs(new Atom[] {Atom.of("ok"), Atom.of("done")});
        in.reset(afterHeader, 0, 6);
        assertEquals(Tuple.of(Atom.of("ok"), Atom.of("done")), in.readTerm());
        in.reset(afterHeader, 6, 2);
        assertEquals(7L, in.readTerm());
        in.atomCacheRefs(null);
        DecodeException e = assertThrows(DecodeException.class, () -> in.reset(afterHeader, 0, 6).readTerm());
        assertTrue(e.getMessage().contains("no atom cache"), e.getMessage());
        assertEquals(2, e.offset());
    }

    @Test
    void offsetsCountFromTheStartOfTheFrameGiven() {
        byte[] buffer = bytes(9, 9, 9, 131, 104, 2, 97, 1, 250);
        DecodeException e = assertThrows(DecodeException.class,
                () -> new TermDecoder().reset(buffer, 3, 6).readVersioned());
        assertEquals(5, e.offset(), e.getMessage());
    }

    @Test
    void anEncoderGivesBackTheMemoryABigTermTookWhenAsked() {
        TermEncoder out = new TermEncoder(TermRegistry.DEFAULT, 64);
        out.writeVersioned(io.loomix.Binary.of(new byte[1 << 20]));
        assertTrue(out.buffer().length > 1 << 20);
        out.reset();
        assertTrue(out.buffer().length > 1 << 20, "a plain reset keeps the memory for the next big term");
        out.reset(4096);
        assertEquals(4096, out.buffer().length);
        assertEquals(0, out.position());
        assertEquals("ok", Terms.decode(out.writeVersioned("ok").toByteArray()));
    }

    @Test
    void theLongestIntegerFitsAtTheVeryEndOfTheBuffer() {
        // Long.MIN_VALUE is SMALL_BIG: 11 bytes; the buffer must grow for it with 10 bytes left
        TermEncoder out = new TermEncoder(TermRegistry.DEFAULT, 16);
        out.writeBytes(new byte[6], 0, 6).writeTerm(Long.MIN_VALUE);
        TermDecoder in = new TermDecoder().reset(out.buffer(), 6, out.position() - 6);
        assertEquals(Long.MIN_VALUE, in.readTerm());
    }

    @Test
    void binaryToTermIgnoresBytesAfterTheTermAsErlangDoes() {
        // erl: binary_to_term(<<131,97,1,0>>) is 1
        assertEquals(1L, Terms.decode(bytes(131, 97, 1, 0)));
    }
}

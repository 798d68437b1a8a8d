package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.Tuple;
import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.term.DecodeLimits;
import io.loomix.dist.term.TermDecoder;
import io.loomix.dist.term.TermRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What Frames writes, Fragments reads back: the two halves of the framing agree. */
class FramesTest {
    private static final Pid FROM = new Pid(Atom.of("a@h"), 1, 2, 3);
    private static final Pid TO = new Pid(Atom.of("b@h"), 4, 5, 6);

    private static List<byte[]> encode(long flags, Object message) {
        List<byte[]> frames = new ArrayList<>();
        new Frames(TermRegistry.DEFAULT).encode(flags, 77, new Control.SendSender(FROM, TO), message, frames::add);
        return frames;
    }

    /** Feeds the frames (without their length) through Fragments; decodes the one message they make. */
    private static Object[] readBack(List<byte[]> frames) throws ProtocolException {
        Fragments f = new Fragments(64 << 20);
        Inbound whole = null;
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            int len = ((frame[0] & 0xff) << 24) | ((frame[1] & 0xff) << 16) | ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
            assertEquals(frame.length - 4, len, "frame " + i + " says its length");
            Inbound in = f.accept(frame, 4, frame.length - 4);
            if (i < frames.size() - 1) {
                assertNull(in, "only the last fragment completes the message");
            }
            whole = in;
        }
        TermDecoder d = new TermDecoder(TermRegistry.DEFAULT, DecodeLimits.DEFAULT).reset(whole.bytes(), whole.offset(), whole.length());
        Object control = whole.versioned() ? d.readVersioned() : d.readTerm();
        Object message = whole.versioned() ? d.readVersioned() : d.readTerm();
        return new Object[] {control, message};
    }

    @Test
    void withoutFragmentsAMessageIsOnePassThroughFrame() throws Exception {
        List<byte[]> frames = encode(DistFlags.MANDATORY_25, Atom.of("hi"));
        assertEquals(1, frames.size());
        assertEquals(112, frames.getFirst()[4] & 0xff);
        Object[] back = readBack(frames);
        assertEquals(Tuple.of(22L, FROM, TO), back[0]);
        assertEquals(Atom.of("hi"), back[1]);
    }

    @Test
    void withFragmentsASmallMessageHasAHeaderWithoutAtomCache() throws Exception {
        List<byte[]> frames = encode(DistFlags.LOOMIX, Atom.of("hi"));
        assertEquals(1, frames.size());
        assertEquals(List.of(131, 68, 0), List.of(frames.getFirst()[4] & 0xff, frames.getFirst()[5] & 0xff, (int) frames.getFirst()[6]));
        assertEquals(Atom.of("hi"), readBack(frames)[1]);
    }

    @Test
    void aLargeMessageIsSplitIntoFragmentsThatJoinBack() throws Exception {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7 + 0x80);
        }
        List<byte[]> frames = encode(DistFlags.LOOMIX, Binary.of(big));
        assertEquals(4, frames.size(), "200 KB in 64 KiB fragments");
        assertEquals(69, frames.getFirst()[5]);
        assertEquals(70, frames.getLast()[5]);
        Object[] back = readBack(frames);
        assertEquals(Tuple.of(22L, FROM, TO), back[0]);
        assertEquals(Binary.of(big), back[1]);
    }

    @Test
    void withoutFragmentsALargeMessageIsStillOneFrame() throws Exception {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 0xff); // not UTF-8, so it decodes as a Binary
        List<byte[]> frames = encode(DistFlags.MANDATORY_25, Binary.of(big));
        assertEquals(1, frames.size());
        assertEquals(Binary.of(big), readBack(frames)[1]);
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.LocalNode;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.PortId;
import io.loomix.Ref;
import io.loomix.Tuple;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every Java value of the mapping goes out and comes back as itself; one-way values come back as documented. */
class RoundTripTest {
    static final Atom REMOTE = Atom.of("peer@host");

    static Object roundTrip(Object value) {
        return Terms.decode(Terms.encode(value));
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    @Test
    void valuesOfTheMappingComeBackAsThemselves() {
        List<Object> values = List.of(
                Atom.of("ok"), Atom.of("héllo wörld"), Atom.of("x".repeat(255)), Atom.of("ü".repeat(255)),
                0L, 255L, 256L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE + 1,
                BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(64).negate(), BigInteger.ONE.shiftLeft(2100).subtract(BigInteger.TEN),
                1.5, -0.0, 0.0, Double.MAX_VALUE, Double.MIN_VALUE,
                "", "hello", "héllo wörld ☃ 𝄞",
                Binary.of(0xFF, 0x00, 0xC0), true, false,
                Tuple.EMPTY, Tuple.of(Atom.of("a"), 1L, "b"), Tuple.of(new Object[300]
                        .length == 300 ? java.util.stream.IntStream.range(0, 300).mapToObj(i -> (Object) (long) i).toArray() : null),
                List.of(), List.of(1L, 2L, 3L), List.of(Atom.of("a"), List.of(List.of())),
                Map.of(), Map.of(Atom.of("a"), 1L, "k", List.of(true)),
                new ImproperList(List.of(Atom.of("a")), Atom.of("b")),
                new Pid(REMOTE, 12, 3, 7), new Pid(REMOTE, -1, -1, -1),
                Ref.of(REMOTE, 9, 1, 2, 3), Ref.of(REMOTE, 9, 1, 2, 3, 4, 5), Ref.of(REMOTE, 9, -1, 2, 3), Ref.of(REMOTE, 9, 42),
                new PortId(REMOTE, 5, 2), new PortId(REMOTE, 1L << 40, 2),
                new BitBinary(Binary.of(0xA0), 3), new BitBinary(Binary.of(1, 2, 0x80), 1),
                new Export(Atom.of("lists"), Atom.of("map"), 2),
                new Fun(Atom.of("erl_eval"), 1, Binary.of(new byte[16]), 42, 1, 0x7ABCDEF0, new Pid(REMOTE, 1, 2, 3),
                        List.of(Atom.of("env"), 3L)));
        for (Object v : values) {
            assertEquals(v, roundTrip(v), () -> "round trip of " + v);
        }
    }

    @Test
    void randomTermsComeBackAsThemselves() {
        java.util.Random random = new java.util.Random(29);
        TermEncoder enc = new TermEncoder();
        TermDecoder dec = new TermDecoder();
        for (int i = 0; i < 5000; i++) {
            Object term = RandomTerms.term(random, 5);
            byte[] bytes = enc.reset().writeVersioned(term).toByteArray();
            Object back = dec.reset(bytes, 0, bytes.length).readVersioned();
            assertEquals(term, back, () -> "round trip of " + term);
            byte[] again = enc.reset().writeVersioned(back).toByteArray(); // maps may iterate in another order
            assertEquals(term, dec.reset(again, 0, again.length).readVersioned(), () -> "second trip of " + term);
            byte[] packed = enc.reset().writeCompressed(term, 1).toByteArray();
            assertEquals(term, dec.reset(packed, 0, packed.length).readVersioned(), () -> "compressed " + term);
        }
    }

    @Test
    void integersDecodeToLongWhenTheyFitElseBigInteger() {
        assertEquals(5L, roundTrip(5));
        assertEquals(5L, roundTrip((short) 5));
        assertEquals(5L, roundTrip((byte) 5));
        assertEquals(-70000L, roundTrip(-70000));
        assertEquals(12L, roundTrip(BigInteger.valueOf(12)));
        assertInstanceOf(BigInteger.class, roundTrip(BigInteger.ONE.shiftLeft(63)));
        assertEquals(Long.MIN_VALUE, roundTrip(BigInteger.valueOf(Long.MIN_VALUE)));
        assertEquals(97L, roundTrip('a'));
        assertEquals(1.5, roundTrip(1.5f));
    }

    @Test
    void integerEncodingsAreTheShortestAsErlangWritesThem() {
        assertArrayEquals(bytes(131, 97, 255), Terms.encode(255));
        assertArrayEquals(bytes(131, 98, 0, 0, 1, 0), Terms.encode(256));
        assertArrayEquals(bytes(131, 98, 255, 255, 255, 255), Terms.encode(-1));
        // erl: term_to_binary(-(1 bsl 63)) and term_to_binary(1 bsl 63)
        assertArrayEquals(bytes(131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 128), Terms.encode(Long.MIN_VALUE));
        assertArrayEquals(bytes(131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 128), Terms.encode(BigInteger.ONE.shiftLeft(63)));
        assertEquals(BigInteger.ONE.shiftLeft(63), Terms.decode(bytes(131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 128)));
    }

    @Test
    void decodesWhatErl25WritesWithItsLatin1Atoms() {
        // erl: term_to_binary({ok, <<"hello">>, [1,2,3], "abc", 1.5, -1, 256, 1 bsl 64, -(1 bsl 64),
        //                      #{a => [b]}, [a|b], {}, [], <<>>})
        byte[] erl = bytes(131, 104, 14, 100, 0, 2, 111, 107, 109, 0, 0, 0, 5, 104, 101, 108, 108, 111, 107, 0, 3, 1, 2,
                3, 107, 0, 3, 97, 98, 99, 70, 63, 248, 0, 0, 0, 0, 0, 0, 98, 255, 255, 255, 255, 98, 0, 0, 1, 0, 110, 9,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 110, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 116, 0, 0, 0, 1, 100, 0, 1, 97, 108,
                0, 0, 0, 1, 100, 0, 1, 98, 106, 108, 0, 0, 0, 1, 100, 0, 1, 97, 100, 0, 1, 98, 104, 0, 106, 109, 0, 0,
                0, 0);
        Atom a = Atom.of("a");
        Tuple expected = Tuple.of(Atom.of("ok"), "hello", List.of(1L, 2L, 3L), List.of(97L, 98L, 99L), 1.5, -1L, 256L,
                BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(64).negate(), Map.of(a, List.of(Atom.of("b"))),
                new ImproperList(List.of(a), Atom.of("b")), Tuple.EMPTY, List.of(), "");
        assertEquals(expected, Terms.decode(erl));
    }

    @Test
    void oldFloatsAndOldIdentifierFormsDecode() {
        // erl: term_to_binary(1.5, [{minor_version, 0}])
        byte[] old = bytes(131, 99, 49, 46, 53, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48,
                48, 48, 101, 43, 48, 48, 0, 0, 0, 0, 0);
        assertEquals(1.5, Terms.decode(old));
        // PID_EXT, PORT_EXT, NEW_REFERENCE_EXT, REFERENCE_EXT with a 1-byte creation
        assertEquals(new Pid(Atom.of("a@b"), 1, 2, 3),
                Terms.decode(bytes(131, 103, 115, 3, 'a', '@', 'b', 0, 0, 0, 1, 0, 0, 0, 2, 3)));
        assertEquals(new PortId(Atom.of("a@b"), 9, 3),
                Terms.decode(bytes(131, 102, 115, 3, 'a', '@', 'b', 0, 0, 0, 9, 3)));
        assertEquals(Ref.of(Atom.of("a@b"), 2, 1, 2, 3),
                Terms.decode(bytes(131, 114, 0, 3, 100, 0, 3, 'a', '@', 'b', 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3)));
        assertEquals(Ref.of(Atom.of("a@b"), 2, 7),
                Terms.decode(bytes(131, 101, 100, 0, 3, 'a', '@', 'b', 0, 0, 0, 7, 2)));
    }

    @Test
    void bitstringsAreCanonicalAsErlangMakesThem() {
        // erl: binary_to_term(<<131,77,0,0,0,1,3,255>>) is <<7:3>>, written back with the unused bits cleared
        Object bits = Terms.decode(bytes(131, 77, 0, 0, 0, 1, 3, 255));
        assertEquals(new BitBinary(Binary.of(0xE0), 3), bits);
        assertArrayEquals(bytes(131, 77, 0, 0, 0, 1, 3, 224), Terms.encode(bits));
        assertEquals("<<7:3>>", bits.toString());
        assertEquals(Binary.of(0xFF), Terms.decode(bytes(131, 77, 0, 0, 0, 1, 8, 255)), "8 bits in the last byte: a binary");
        assertEquals("", Terms.decode(bytes(131, 77, 0, 0, 0, 0, 0)));
    }

    @Test
    void stringsAreUtf8BinariesAndCharlistsAreListsOfCodePoints() {
        assertArrayEquals(bytes(131, 109, 0, 0, 0, 2, 0xC3, 0xA9), Terms.encode("é"));
        assertArrayEquals(bytes(131, 107, 0, 3, 'a', 'b', 'c'), Terms.encode(new Charlist("abc")));
        Object wide = roundTrip(new Charlist("a☃"));
        assertEquals(List.of(97L, 9731L), wide);
        assertEquals(new Charlist("a☃"), Charlist.of((List<?>) wide));
        assertEquals(List.of(), roundTrip(new Charlist("")));
        assertEquals(Binary.of(0xFF), roundTrip(Binary.of(0xFF)), "invalid UTF-8 stays bytes");
        assertEquals("ok", roundTrip(Binary.utf8("ok")), "valid UTF-8 reads as text");
        TermRegistry bytesOnly = TermRegistry.builder().binariesAsStrings(false).build();
        assertEquals(Binary.utf8("ok"), Terms.decode(Terms.encode("ok"), bytesOnly, DecodeLimits.DEFAULT));
        assertArrayEquals(bytes(131, 109, 0, 0, 0, 2, 1, 2), Terms.encode(new byte[] {1, 2}));
    }

    @Test
    void improperTailsAndSplitListsFollowErlang() {
        // [1 | [2, 3]] written with a list as the tail is the proper list [1, 2, 3]
        byte[] split = bytes(131, 108, 0, 0, 0, 1, 97, 1, 108, 0, 0, 0, 2, 97, 2, 97, 3, 106);
        assertEquals(List.of(1L, 2L, 3L), Terms.decode(split));
        byte[] splitImproper = bytes(131, 108, 0, 0, 0, 1, 97, 1, 108, 0, 0, 0, 1, 97, 2, 97, 3);
        assertEquals(new ImproperList(List.of(1L, 2L), 3L), Terms.decode(splitImproper));
    }

    @Test
    void localIdentifiersGoOutUnderTheNodesNameAndComeBackEqual() {
        Pid early = new Pid(LocalNode.NO_NODE, 4, 5, 0);
        Ref ref = new Ref(LocalNode.NO_NODE, 0, 123456789L);
        LocalNode.start(Atom.of("etf_rt@host"), 17);
        try {
            byte[] out = Terms.encode(Tuple.of(early, ref));
            Tuple back = (Tuple) Terms.decode(out);
            Pid pid = (Pid) back.get(0);
            assertEquals(Atom.of("etf_rt@host"), pid.node());
            assertEquals(17, pid.creation());
            assertEquals(early, pid);
            assertEquals(ref, back.get(1));
        } finally {
            LocalNode.stop();
        }
    }

    @Test
    void exitReasonsAndSignalMessagesUseErlangsShapes() {
        Pid p = new Pid(REMOTE, 1, 2, 3);
        Ref r = Ref.of(REMOTE, 3, 1, 2, 3);
        assertEquals(Atom.of("normal"), roundTrip(ExitReason.NORMAL));
        assertEquals(Tuple.of(Atom.of("shutdown"), Atom.of("bye")), roundTrip(new ExitReason.Shutdown(Atom.of("bye"))));
        assertEquals(new Down(r, p, ExitReason.NOCONNECTION), roundTrip(new Down(r, p, ExitReason.NOCONNECTION)));
        Name name = new Name(Atom.of("reg"), REMOTE);
        assertEquals(new Down(r, name, ExitReason.NOPROC), roundTrip(new Down(r, name, ExitReason.NOPROC)));
        assertEquals(new Exit(p, ExitReason.KILLED), roundTrip(new Exit(p, ExitReason.KILLED)));
        assertEquals(Tuple.of(Atom.of("reg"), REMOTE), roundTrip(name));
    }

    @Test
    void compressedTermsRoundTrip() {
        Object big = List.of(java.util.Collections.nCopies(5000, Tuple.of(Atom.of("rep"), "same text")).toArray());
        byte[] packed = Terms.encodeCompressed(big, 6);
        assertEquals(80, packed[1] & 0xFF);
        assertTrue(packed.length < Terms.encode(big).length / 10);
        assertEquals(big, Terms.decode(packed));
    }

    @Test
    void valuesWithoutATermAreRefusedSayingWhy() {
        record Unregistered(int a) {}
        var e = assertThrows(EncodeException.class, () -> Terms.encode(new Unregistered(1)));
        assertTrue(e.getMessage().contains("TermRegistry"), e.getMessage());
        assertThrows(EncodeException.class, () -> Terms.encode(Double.NaN));
        assertThrows(NullPointerException.class, () -> Terms.encode(null));
        assertThrows(EncodeException.class, () -> Terms.encode(new int[] {1}));
        assertThrows(EncodeException.class, () -> Terms.encode(java.util.Arrays.asList(1, null)));
        assertThrows(EncodeException.class, () -> Terms.encode("bad \uD800 surrogate"));
        TermEncoder enc = new TermEncoder();
        enc.writeByte(7);
        assertThrows(EncodeException.class, () -> enc.writeTerm(List.of(1, new Object())));
        assertEquals(1, enc.position(), "a failed term leaves nothing half-written");
    }

    @Test
    void deepTermsCostHeapNotStackBothWays() {
        Object deep = List.of();
        for (int i = 0; i < 50_000; i++) {
            deep = i % 2 == 0 ? List.of(deep) : Tuple.of(deep);
        }
        byte[] bytes = Terms.encode(deep);
        assertArrayEquals(bytes, Terms.encode(Terms.decode(bytes)), "50,000 levels out and back");
        java.util.List<Object> cycle = new java.util.ArrayList<>();
        cycle.add(cycle);
        var e = assertThrows(EncodeException.class, () -> Terms.encode(cycle));
        assertTrue(e.getMessage().contains("a cycle?"), e.getMessage());
    }

    @Test
    void theEncoderReusesItsBufferAcrossFrames() {
        TermEncoder enc = new TermEncoder(TermRegistry.DEFAULT, 16);
        TermDecoder dec = new TermDecoder();
        for (int i = 0; i < 100; i++) {
            Object msg = Tuple.of(Atom.of("msg"), (long) i, "x".repeat(i));
            enc.reset().writeVersioned(msg);
            assertEquals(msg, dec.reset(enc.buffer(), 0, enc.position()).readVersioned());
            assertEquals(0, dec.remaining());
        }
    }
}

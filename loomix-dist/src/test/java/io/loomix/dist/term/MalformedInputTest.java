package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;

import static io.loomix.dist.term.RoundTripTest.bytes;
import static org.junit.jupiter.api.Assertions.*;

/** Bad input: one DecodeException that says where and what, nothing allocated beyond the input's size. */
class MalformedInputTest {

    static DecodeException refused(byte[] input, String expected) {
        DecodeException e = assertThrows(DecodeException.class, () -> Terms.decode(input));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    @Test
    void theCorpusOfMalformedTermsIsRefusedWithOffsetAndReason() {
        refused(bytes(), "expected a byte");
        refused(bytes(130, 97, 1), "version byte 131");
        refused(bytes(131), "expected a byte");
        refused(bytes(131, 200), "unknown tag 200");
        refused(bytes(131, 121, 1, 2), "LOCAL_EXT");
        refused(bytes(131, 117, 0, 0, 0, 0), "FUN_EXT");
        refused(bytes(131, 98, 0, 0), "truncated");
        refused(bytes(131, 104, 3, 97, 1), "tuple claims 3 elements");
        refused(bytes(131, 105, 0x7F, 0xFF, 0xFF, 0xFF, 97, 1), "tuple claims 2147483647");
        refused(bytes(131, 108, 0xFF, 0xFF, 0xFF, 0xFF, 106), "list claims 4294967295");
        refused(bytes(131, 109, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3), "binary claims 2147483647");
        refused(bytes(131, 116, 0, 0, 0x10, 0, 97, 1), "map claims 4096");
        refused(bytes(131, 107, 0xFF, 0xFF, 'a'), "string needs 65535");
        refused(bytes(131, 111, 0x7F, 0, 0, 0, 0, 1), "bignum claims 2130706432");
        refused(bytes(131, 110, 1, 2, 5), "sign byte is 2");
        refused(bytes(131, 70, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0), "Erlang floats are finite");
        refused(bytes(131, 99, 'n', 'a', 'n', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0), "not a number");
        refused(bytes(131, 119, 2, 0xC3, 0x28), "not valid UTF-8");
        refused(bytes(131, 118, 0x04, 0x00, 'a'), "atom needs 1024");
        refused(bytes(131, 90, 0, 6, 119, 1, 'a', 0, 0, 0, 1), "6 ID words");
        refused(bytes(131, 90, 0, 0, 119, 1, 'a', 0, 0, 0, 1), "0 ID words");
        refused(bytes(131, 88, 97, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), "expected an atom");
        refused(bytes(131, 82, 3), "atom cache reference 3");
        refused(bytes(131, 77, 0, 0, 0, 1, 9, 1), "9 bits");
        refused(bytes(131, 77, 0, 0, 0, 0, 3), "3 bits");
        refused(bytes(131, 116, 0, 0, 0, 2, 97, 1, 97, 1, 97, 1, 97, 2), "duplicate key");
        refused(bytes(131, 113, 119, 1, 'm', 119, 1, 'f', 98, 0, 0, 0, 1), "arity must be a small integer");
        refused(bytes(131, 112, 0xFF, 0xFF, 0xFF, 0xFF, 1), "fun claims 4294967295 bytes");
        refused(bytes(131, 80, 0, 0, 0, 5, 1, 2, 3), "not valid zlib");
        refused(bytes(131, 80, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3), "DecodeLimits.maxUncompressedBytes");
        refused(bytes(131, 104, 1, 80, 0, 0, 0, 1), "may only follow the version byte");
        DecodeException at = refused(bytes(131, 104, 2, 97, 1, 250), "unknown tag 250");
        assertEquals(5, at.offset(), "the offset names the bad byte");
    }

    @Test
    void aFunWhoseSizeDisagreesWithItsFieldsIsRefused() {
        Fun f = new Fun(Atom.of("m"), 0, Binary.of(new byte[16]), 1, 1, 1, new Pid(Atom.of("a@b"), 1, 1, 1), List.of());
        byte[] ok = Terms.encode(f);
        assertEquals(f, Terms.decode(ok));
        byte[] lying = ok.clone();
        lying[5]--; // the size field's low byte
        refused(lying, "fun claims");
    }

    @Test
    void compressedDataMustExpandToExactlyTheClaimedSize() {
        byte[] inner = bytes(104, 2, 97, 1, 97, 2); // {1,2}
        assertEquals(Tuple.of(1L, 2L), Terms.decode(compressed(inner.length, inner)));
        refused(compressed(inner.length + 1, inner), "has 6");
        refused(compressed(inner.length - 1, inner), "expands beyond");
        byte[] full = compressed(inner.length, inner);
        refused(java.util.Arrays.copyOf(full, full.length - 3), "ends before");
        refused(java.util.Arrays.copyOf(full, full.length - 1), "ends before");
        byte[] trailing = bytes(104, 2, 97, 1, 97, 2, 97, 3);
        refused(compressed(trailing.length, trailing), "2 bytes after the term");
    }

    @Test
    void aZipBombIsStoppedAtTheLimitWithoutExpandingIt() {
        byte[] zeros = new byte[1 << 20];
        byte[] bomb = compressed(100 << 20, zeros); // claims 100 MiB: above the default limit
        refused(bomb, "maxUncompressedBytes");
        byte[] liar = compressed(1 << 20, zeros); // 1 MiB of zeros is a valid size claim, but not a term
        refused(liar, "unknown tag 0");
    }

    static byte[] compressed(int claimed, byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(131, 80, claimed >>> 24, claimed >>> 16 & 0xFF, claimed >>> 8 & 0xFF, claimed & 0xFF));
        byte[] chunk = new byte[4096];
        while (!d.finished()) {
            out.write(chunk, 0, d.deflate(chunk));
        }
        d.end();
        return out.toByteArray();
    }

    @Test
    void deepNestingStopsAtTheDepthLimit() {
        int depth = 100_001;
        byte[] deep = new byte[1 + 2 * depth + 1];
        deep[0] = (byte) 131;
        for (int i = 0; i < depth; i++) {
            deep[1 + 2 * i] = 104;
            deep[2 + 2 * i] = 1;
        }
        deep[deep.length - 1] = 106;
        refused(deep, "nested deeper than 100000");
        byte[] ok = new byte[1 + 2 * 99_999 + 1];
        ok[0] = (byte) 131;
        for (int i = 0; i < 99_999; i++) {
            ok[1 + 2 * i] = 104;
            ok[2 + 2 * i] = 1;
        }
        ok[ok.length - 1] = 106;
        assertInstanceOf(Tuple.class, Terms.decode(ok), "99,999 levels are fine: no recursion");
    }

    @Test
    void aPeerThatFloodsAtomsIsCutOffWhileKnownAtomsStillDecode() {
        DecodeLimits limits = DecodeLimits.DEFAULT.withMaxNewAtoms(100);
        TermDecoder dec = new TermDecoder(TermRegistry.DEFAULT, limits);
        String prefix = "flood_" + System.nanoTime() + "_";
        DecodeException refusedAt = null;
        int made = 0;
        for (int i = 0; i < 1000 && refusedAt == null; i++) {
            byte[] b = Terms.encode(Atom.of("ok")); // ok exists: never counted
            b = Terms.encode(List.of(new String(prefix + i).isEmpty() ? Atom.of("x") : Atom.of("ok")));
            dec.reset(b, 0, b.length).readVersioned();
            byte[] fresh = freshAtom(prefix + i);
            try {
                dec.reset(fresh, 0, fresh.length).readVersioned();
                made++;
            } catch (DecodeException e) {
                refusedAt = e;
            }
        }
        assertNotNull(refusedAt, "the 101st new atom is refused");
        assertEquals(100, made);
        assertTrue(refusedAt.getMessage().contains("maxNewAtoms"), refusedAt.getMessage());
        assertTrue(Atom.existing(prefix + 100).isEmpty(), "the refused atom was not added");
        byte[] known = Terms.encode(Atom.of("ok"));
        assertEquals(Atom.of("ok"), dec.reset(known, 0, known.length).readVersioned());
    }

    /** An atom term built by hand, so the test itself does not make the atom. */
    static byte[] freshAtom(String name) {
        byte[] text = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = new byte[3 + text.length];
        b[0] = (byte) 131;
        b[1] = 119;
        b[2] = (byte) text.length;
        System.arraycopy(text, 0, b, 3, text.length);
        return b;
    }

    /**
     * A bounded, seeded mutation run in the normal suite: every truncation and many random byte
     * changes of valid encodings (hand-picked ones and random terms) either decode or throw
     * DecodeException, nothing else.
     */
    @Test
    void mutatedEncodingsDecodeOrThrowDecodeExceptionOnly() {
        List<byte[]> seeds = seeds();
        Random random = new Random(20261129);
        DecodeLimits limits = DecodeLimits.DEFAULT.withMaxNewAtoms(0);
        TermDecoder dec = new TermDecoder(TermRegistry.DEFAULT, limits);
        int runs = 0;
        for (byte[] seed : seeds) {
            for (int cut = 0; cut < seed.length; cut++) {
                decodeOnlyFailsCleanly(dec, java.util.Arrays.copyOf(seed, cut));
                runs++;
            }
            for (int i = 0; i < 3000; i++) {
                byte[] m = seed.clone();
                int changes = 1 + random.nextInt(4);
                for (int c = 0; c < changes; c++) {
                    m[1 + random.nextInt(m.length - 1)] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256)
                            : new int[] {0, 0xFF, 0x7F, 0x80, 1, 106, 104, 108}[random.nextInt(8)]);
                }
                decodeOnlyFailsCleanly(dec, m);
                runs++;
            }
        }
        java.util.Random shapes = new java.util.Random(7);
        for (int t = 0; t < 50; t++) {
            byte[] seed = Terms.encode(RandomTerms.term(shapes, 4));
            for (int i = 0; i < 300; i++) {
                byte[] m = seed.clone();
                m[1 + random.nextInt(m.length - 1)] = (byte) random.nextInt(256);
                decodeOnlyFailsCleanly(dec, m);
                runs++;
            }
        }
        assertTrue(runs > 39_000, "ran " + runs);
    }

    static void decodeOnlyFailsCleanly(TermDecoder dec, byte[] input) {
        try {
            dec.reset(input, 0, input.length).readVersioned();
        } catch (DecodeException expected) {
            // the one exception bad input may cause
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("input " + java.util.Arrays.toString(input) + " threw " + e, e);
        }
    }

    static List<byte[]> seeds() {
        Atom node = Atom.of("seed@host");
        List<byte[]> seeds = new ArrayList<>();
        for (Object v : List.of(
                Tuple.of(Atom.of("ok"), "hello", List.of(1L, 2L), Map.of(Atom.of("k"), 1.5)),
                List.of(new Pid(node, 1, 2, 3), Ref.of(node, 1, 1, 2, 3, 4), new io.loomix.PortId(node, 1L << 40, 2)),
                new ImproperList(List.of(1L << 40, java.math.BigInteger.ONE.shiftLeft(100)), Atom.of("t")),
                new Fun(Atom.of("m"), 1, Binary.of(new byte[16]), 1, 2, 3, new Pid(node, 1, 1, 1), List.of(7L)),
                new BitBinary(Binary.of(1, 0x80), 1), new Charlist("abc"), new Export(node, node, 3))) {
            seeds.add(Terms.encode(v));
        }
        seeds.add(Terms.encodeCompressed(List.of("compressible", "compressible", "compressible"), 9));
        return seeds;
    }
}

package io.loomix;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The term types at the bottom: identity of pids and refs across the node's names, binaries, tuples. */
class TermTypesTest {
    private static final Atom ME = Atom.of("termtypes@host");
    private static final Atom OTHER = Atom.of("other@host");

    @AfterEach
    void stopNode() {
        LocalNode.stop();
    }

    @Test
    void aPidMadeBeforeTheNodeWentAliveEqualsItsNamedFormAfterwards() {
        Pid early = new Pid(LocalNode.NO_NODE, 7, 9, 0);
        LocalNode.start(ME, 3);
        Pid echoed = new Pid(ME, 7, 9, 3); // as it comes back from the wire
        assertEquals(early, echoed);
        assertEquals(echoed, early);
        assertEquals(early.hashCode(), echoed.hashCode());
        assertEquals(ME, early.node(), "node(Pid) of a local pid is the node's current name");
        assertEquals(3, early.creation());
        assertEquals("<0.7.9>", echoed.toString());
    }

    @Test
    void aPidOfAnotherNodeOrAnotherIncarnationIsRemote() {
        LocalNode.start(ME, 3);
        Pid local = new Pid(ME, 7, 9, 3);
        assertNotEquals(local, new Pid(OTHER, 7, 9, 3));
        assertNotEquals(local, new Pid(ME, 7, 9, 4), "same name, other creation: an older or newer incarnation");
        assertFalse(new Pid(ME, 7, 9, 4).isLocal());
        assertTrue(new Pid(OTHER, 1, 2, 1).toString().matches("<[1-9][0-9]*\\.1\\.2>"));
    }

    @Test
    void identifiersMadeUnderAnEarlierNameStayLocalAfterARestart() {
        LocalNode.start(ME, 3);
        Pid before = new Pid(ME, 1, 1, 3);
        LocalNode.stop();
        LocalNode.start(Atom.of("renamed@host"), 8);
        assertTrue(before.isLocal());
        assertEquals(new Pid(Atom.of("renamed@host"), 1, 1, 8), before);
    }

    @Test
    void startRejectsASecondStartAndBadNames() {
        LocalNode.start(ME, 3);
        assertThrows(IllegalStateException.class, () -> LocalNode.start(OTHER, 4));
        LocalNode.stop();
        assertThrows(IllegalArgumentException.class, () -> LocalNode.start(Atom.of("nohost"), 1));
        assertThrows(IllegalArgumentException.class, () -> LocalNode.start(ME, 0));
        assertFalse(LocalNode.isAlive());
    }

    @Test
    void aRemoteRefKeepsItsWordsExactly() {
        Ref five = Ref.of(OTHER, 2, 1, 2, 3, 4, 5);
        assertEquals(5, five.wordCount());
        assertEquals(5, five.word(4));
        assertEquals(Ref.of(OTHER, 2, 1, 2, 3, 4, 5), five);
        assertNotEquals(Ref.of(OTHER, 2, 1, 2, 3, 4, 6), five);
        Ref wide = Ref.of(OTHER, 2, -1, 2, 3); // first word above 18 bits: kept as words
        assertEquals(-1, wide.word(0));
        assertTrue(five.toString().endsWith(".5.4.3.2.1>"), five.toString());
    }

    @Test
    void aLocalRefSpreadsItsCounterAsBeamDoesAndComesBackEqual() {
        long id = (5L << 50) | (77L << 18) | 3;
        Ref ref = new Ref(LocalNode.NO_NODE, 0, id);
        assertEquals(3, ref.wordCount());
        assertEquals(3, ref.word(0));
        assertEquals(77, ref.word(1));
        assertEquals(5, ref.word(2));
        LocalNode.start(ME, 3);
        Ref back = Ref.of(ME, 3, ref.word(0), ref.word(1), ref.word(2));
        assertEquals(ref, back);
        assertEquals(ref.hashCode(), back.hashCode());
        assertEquals("#Ref<0.5.77.3>", back.toString());
        assertNotEquals(ref, Ref.of(OTHER, 3, 3, 77, 5));
    }

    @Test
    void refsRejectImpossibleWordCounts() {
        assertThrows(IllegalArgumentException.class, () -> Ref.of(OTHER, 1));
        assertThrows(IllegalArgumentException.class, () -> Ref.of(OTHER, 1, 1, 2, 3, 4, 5, 6));
    }

    @Test
    void binariesAreCopiedComparedUnsignedAndPrintedAsErlangDoes() {
        byte[] raw = {1, 2, (byte) 200};
        Binary b = Binary.of(raw);
        raw[0] = 9;
        assertEquals(1, b.byteAt(0), "the binary copied its bytes");
        assertEquals(200, b.byteAt(2));
        assertEquals(Binary.of(1, 2, 200), b);
        assertTrue(Binary.of(255).compareTo(Binary.of(1)) > 0, "bytes compare unsigned");
        assertTrue(Binary.of(1).compareTo(Binary.of(1, 0)) < 0, "a prefix sorts first");
        assertEquals("<<1,2,200>>", b.toString());
        assertEquals("<<\"abc\">>", Binary.utf8("abc").toString());
        assertEquals("héllo", Binary.utf8("héllo").toUtf8String());
        assertFalse(Binary.of(0xC0, 0x80).isValidUtf8(), "overlong NUL is not UTF-8");
        assertFalse(Binary.of(0xED, 0xA0, 0x80).isValidUtf8(), "a surrogate is not UTF-8");
        assertThrows(IllegalStateException.class, () -> Binary.of(0xFF).toUtf8String());
        assertThrows(IllegalArgumentException.class, () -> Binary.of(256));
    }

    @Test
    void tuplesAreValuesWithoutNulls() {
        Object[] parts = {Atom.of("ok"), 1L};
        Tuple t = Tuple.of(parts);
        parts[1] = 2L;
        assertEquals(1L, t.get(1));
        assertEquals(Tuple.of(Atom.of("ok"), 1L), t);
        assertEquals("{ok,1}", t.toString());
        assertEquals(List.of(Atom.of("ok"), 1L), t.toList());
        assertThrows(NullPointerException.class, () -> Tuple.of(Atom.of("a"), null));
    }

    @Test
    void theAtomTableLooksUpWithoutAdding() {
        assertTrue(Atom.existing("termtypes_never_made_" + System.nanoTime()).isEmpty());
        Atom a = Atom.of("termtypes_made");
        assertSame(a, Atom.existing("termtypes_made").orElseThrow());
        assertTrue(Atom.count() > 0);
    }
}

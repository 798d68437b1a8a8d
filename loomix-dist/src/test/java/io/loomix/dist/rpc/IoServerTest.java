package io.loomix.dist.rpc;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.term.Charlist;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The I/O server's rules without a peer: which data is chardata of which encoding, and the replies
 * to requests that need no formatting (the erl-facing behaviour is in ErlIoTest).
 */
class IoServerTest {
    private static final Atom UNICODE = Atom.of("unicode");
    private static final Atom LATIN1 = Atom.of("latin1");

    @Test
    void chardataOfEachEncoding() {
        assertEquals("h\u00e9 \u2713", IoServer.text(Binary.utf8("h\u00e9 \u2713"), UNICODE));
        assertEquals("h\u00e9 \u2713", IoServer.text("h\u00e9 \u2713", UNICODE), "a UTF-8 binary decoded as a String");
        assertEquals("ab\u2713c\n", IoServer.text(List.of(97L, List.of(new Charlist("b"), Binary.utf8("\u2713")), List.of(), "c", 10L), UNICODE));
        assertNull(IoServer.text(Binary.of(0xff, 0xfe), UNICODE), "not UTF-8");
        assertNull(IoServer.text(List.of(0xD800L), UNICODE), "a surrogate is no character");
        assertNull(IoServer.text(Atom.of("atom"), UNICODE));
        assertNull(IoServer.text(List.of(97L, Tuple.of(1L)), UNICODE));

        assertEquals("\u00e9\n", IoServer.text(Binary.of(233, 10), LATIN1), "latin1: one byte per character");
        assertEquals("\u00c3\u00a9", IoServer.text("\u00e9", LATIN1), "the UTF-8 bytes of a binary, each a latin1 character");
        assertEquals("\u00e9", IoServer.text(List.of(233L), LATIN1));
        assertNull(IoServer.text(List.of(0x2713L), LATIN1), "above 255 is no latin1 byte");
        assertNull(IoServer.text(new Charlist("\u2713"), LATIN1));
    }

    private static Object ask(IoServer io, Object request) {
        return Process.run(() -> {
            Ref ref = Process.makeRef();
            io.handle(Tuple.of(Atom.of("io_request"), Process.self(), ref, request));
            return Process.receive(Duration.ofSeconds(10), m -> m instanceof Tuple t && t.size() == 3
                    && t.get(0) == Atom.of("io_reply") && ref.equals(t.get(1)) ? t.get(2) : null, () -> fail("no io_reply"));
        });
    }

    @Test
    void repliesAsErlsUserGivesThem() {
        IoServer io = new IoServer();
        Tuple enotsup = Tuple.of(Atom.of("error"), Atom.of("enotsup"));
        Tuple putCharsError = Tuple.of(Atom.of("error"), Atom.of("put_chars"));
        assertEquals(List.of(Tuple.of(Atom.of("binary"), false), Tuple.of(Atom.of("encoding"), UNICODE)), ask(io, Atom.of("getopts")));
        assertEquals(enotsup, ask(io, Tuple.of(Atom.of("setopts"), List.of(Atom.of("binary"), Tuple.of(Atom.of("echo"), false)))));
        assertEquals(List.of(Tuple.of(Atom.of("binary"), false), Tuple.of(Atom.of("encoding"), UNICODE)), ask(io, Atom.of("getopts")),
                "a refused setopts changes nothing");
        assertEquals(Atom.of("ok"), ask(io, Tuple.of(Atom.of("setopts"), List.of(Tuple.of(Atom.of("list"), false), Atom.of("utf8")))));
        assertEquals(List.of(Tuple.of(Atom.of("binary"), true), Tuple.of(Atom.of("encoding"), UNICODE)), ask(io, Atom.of("getopts")));
        assertEquals(Atom.of("eof"), ask(io, Tuple.of(Atom.of("get_line"), UNICODE, new Charlist("> "))));
        assertEquals(Atom.of("eof"), ask(io, Tuple.of(Atom.of("get_until"), new Charlist(""), Atom.of("io_lib"), Atom.of("collect_line"), List.of())));
        assertEquals(enotsup, ask(io, Tuple.of(Atom.of("get_geometry"), Atom.of("columns"))));
        assertEquals(Tuple.of(Atom.of("error"), Atom.of("request")), ask(io, Tuple.of(Atom.of("frobnicate"))));
        assertEquals(putCharsError, ask(io, Tuple.of(Atom.of("put_chars"), UNICODE, Binary.of(0xff))));
        // requests stop at the first error and answer it
        assertEquals(putCharsError, ask(io, Tuple.of(Atom.of("requests"), List.of(
                Tuple.of(Atom.of("put_chars"), UNICODE, Binary.of(0xff)), Tuple.of(Atom.of("put_chars"), UNICODE, List.of())))));
        assertEquals(Atom.of("ok"), ask(io, Tuple.of(Atom.of("requests"), List.of(Tuple.of(Atom.of("put_chars"), UNICODE, List.of())))));
        // an M, F, A this node cannot run (io_lib is erl's): as user answers a failed apply
        assertEquals(putCharsError, ask(io, Tuple.of(Atom.of("put_chars"), UNICODE, Atom.of("io_lib"), Atom.of("format"),
                List.of(new Charlist("~p"), List.of(1L)))));
    }
}

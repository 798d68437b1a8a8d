package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Tuple;
import io.loomix.dist.term.Charlist;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Erlang's I/O protocol served by this node's group leader: processes a Loomix node starts on a
 * real erl node (rpc, spawn) write with io:format, io:put_chars, file:write, io:nl, io:requests;
 * the text appears on this node's stdout (captured here) and the erl side gets erl's own replies.
 * The expected texts are what erl prints for the same calls on its own console (io_lib:format's
 * output, checked with erl 25).
 */
class ErlIoTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Atom ERL = Atom.of("io@" + HOST);
    private static final Atom IO = Atom.of("io");
    private static final Atom OK = Atom.of("ok");
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream stdout;
    private Atom me;

    @BeforeEach
    void start() {
        me = Node.start("loomixio", "iocookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
    }

    private String output() {
        System.out.flush();
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static Object call(Atom module, String function, Object... args) {
        return Rpc.call(ERL, module, Atom.of(function), List.of(args), WAIT);
    }

    private static Charlist s(String text) {
        return new Charlist(text);
    }

    /** Runs the calls on erl, each checking its reply, then compares what was printed here. */
    private void expect(String printed, Runnable calls) {
        run(() -> {
            register("tester", self());
            try (Child erl = Erl.start(epmd.port(), "io", "iocookie",
                    "{tester, '" + me.name() + "'} ! ready, receive after infinity -> ok end.")) {
                receive(WAIT, m -> m == Atom.of("ready") ? m : null, () -> fail("erl did not start"));
                calls.run();
            }
            return null;
        });
        assertEquals(printed, output());
    }

    @Test
    void ioFormatOfAnErlProcessPrintsHereAndReturnsOk() {
        expect("{a,1} hi\n", () -> assertEquals(OK, call(IO, "format", s("~p ~s~n"), List.of(Tuple.of(Atom.of("a"), 1L), s("hi")))));
    }

    @Test
    void eachControlSequenceIsFormattedAsErlFormatsIt() {
        String[][] cases = {
            {"~w", "[1,2]"}, {"~b", "5"}, {"~.16B", "FF"}, {"~8.3f", "   3.142"}, {"~e", "1.50000e+0"}, {"~c", "z"},
            {"~i", ""}, {"~5s", "   ab"}, {"~-5w", "7    "}, {"~p", "<<\"bin\">>"}, {"~#", "10#255"},
            {"~ts", "h\u00e9llo \u2713"}, {"~n", "\n"}, {"~~", "~"}, {"~x", "abc42"},
        };
        List<List<?>> args = List.of(List.of(List.of(1L, 2L)), List.of(5L), List.of(255L), List.of(3.14159), List.of(1.5),
                List.of(122L), List.of(Atom.of("ignored")), List.of(s("ab")), List.of(7L), List.of(Binary.utf8("bin")),
                List.of(255L), List.of(s("h\u00e9llo \u2713")), List.of(), List.of(), List.of(42L, s("abc")));
        StringBuilder want = new StringBuilder();
        for (String[] c : cases) {
            want.append(c[1]).append('|');
        }
        expect(want.toString(), () -> {
            for (int i = 0; i < cases.length; i++) {
                assertEquals(OK, call(IO, "format", s(cases[i][0] + "|"), args.get(i)), cases[i][0]);
            }
        });
    }

    @Test
    void aLongTermIsBrokenIntoLinesAsErlDoes() {
        List<Long> seq = java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList();
        expect("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n 29,30]\n",
                () -> assertEquals(OK, call(IO, "format", s("~p~n"), List.of(seq))));
    }

    @Test
    void putCharsInEitherEncodingNlWriteAndRequests() {
        expect("bin \u2713\nlist \u2713\n\u00e9\n{x}\nab\n", () -> {
            assertEquals(OK, call(IO, "put_chars", Binary.utf8("bin \u2713\n")));
            assertEquals(OK, call(IO, "put_chars", List.of(s("list "), Binary.utf8("\u2713"), 10L)));
            // file:write sends {put_chars, latin1, Bytes}: byte 233 is é
            assertEquals(OK, call(Atom.of("file"), "write", Atom.of("standard_io"), Binary.of(233, 10)));
            assertEquals(OK, call(IO, "write", Tuple.of(Atom.of("x"))));
            assertEquals(OK, call(IO, "nl"));
            assertEquals(OK, call(IO, "requests", List.of(Tuple.of(Atom.of("put_chars"), Atom.of("unicode"), s("a")),
                    Tuple.of(Atom.of("format"), s("~w"), List.of(Atom.of("b"))), Atom.of("nl"))));
        });
    }

    @Test
    void optionsInputAndBadFormatsAnswerAsErlsUserDoes() {
        Atom bin = Atom.of("binary");
        Atom enc = Atom.of("encoding");
        Tuple enotsup = Tuple.of(Atom.of("error"), Atom.of("enotsup"));
        expect("", () -> {
            assertEquals(List.of(Tuple.of(bin, false), Tuple.of(enc, Atom.of("unicode"))), call(IO, "getopts"));
            assertEquals(enotsup, call(IO, "setopts", List.of(Tuple.of(Atom.of("echo"), false))));
            assertEquals(OK, call(IO, "setopts", List.of(bin, Atom.of("latin1"))));
            assertEquals(List.of(Tuple.of(bin, true), Tuple.of(enc, Atom.of("latin1"))), call(IO, "getopts"));
            assertEquals(OK, call(IO, "setopts", List.of(Atom.of("list"), Tuple.of(enc, Atom.of("unicode")))));
            assertEquals(Atom.of("eof"), call(IO, "get_line", s("prompt> ")));
            assertEquals(Atom.of("eof"), call(IO, "get_chars", s(""), 3L));
            assertEquals(enotsup, call(IO, "columns"));
            // a format that does not fit its arguments: io:format raises badarg, as with erl's own user
            Tuple bad = (Tuple) call(IO, "format", s("~p"), List.of());
            assertEquals(Atom.of("badrpc"), bad.get(0));
            Tuple exit = (Tuple) bad.get(1);
            assertEquals(Atom.of("badarg"), ((Tuple) exit.get(1)).get(0));
        });
    }

    /**
     * 20 erl processes (all with this node's group leader) each format 25 lines at once: every
     * io:format returns ok, every line is printed whole and once, each writer's lines in its order.
     */
    @Test
    void manyWritersAtOnceLoseNoLineAndKeepEachWritersOrder() {
        int writers = 20;
        int lines = 25;
        Object results = run(() -> {
            register("tester", self());
            String fan = "Fan = fun(N, M) -> Me = self(),"
                    + "  Ps = [spawn(fun() -> Me ! {self(), [io:format(\"w~w ~w~n\", [I, J]) || J <- lists:seq(1, M)]} end)"
                    + "        || I <- lists:seq(1, N)],"
                    + "  [receive {P, R} -> R end || P <- Ps] end,";
            try (Child erl = Erl.start(epmd.port(), "io", "iocookie",
                    fan + " {tester, '" + me.name() + "'} ! {ready, Fan}, receive after infinity -> ok end.")) {
                Tuple ready = (Tuple) receive(WAIT, m -> m instanceof Tuple t && t.get(0) == Atom.of("ready") ? t : null,
                        () -> fail("erl did not start"));
                return Rpc.call(ERL, Atom.of("erlang"), Atom.of("apply"),
                        List.of(ready.get(1), List.of((long) writers, (long) lines)), Duration.ofSeconds(60));
            }
        });
        List<List<Atom>> oks = java.util.Collections.nCopies(writers, java.util.Collections.nCopies(lines, OK));
        assertEquals(oks, results);
        List<String> printed = List.of(output().split("\n", -1));
        assertEquals(writers * lines + 1, printed.size(), "every line, each ended by a newline");
        for (int i = 1; i <= writers; i++) {
            String prefix = "w" + i + " ";
            List<String> mine = printed.stream().filter(l -> l.startsWith(prefix)).toList();
            List<String> want = java.util.stream.IntStream.rangeClosed(1, lines).mapToObj(j -> prefix + j).toList();
            assertEquals(want, mine, "writer " + i);
        }
    }

    @Test
    void aProcessSpawnedOnErlWritesHere() {
        expect("spawned 7\n", () -> {
            var m = Node.spawnMonitor(ERL, IO, Atom.of("format"), List.of(s("spawned ~w~n"), List.of(7L)));
            Down d = (Down) receive(WAIT, x -> x instanceof Down down && down.ref().equals(m.ref()) ? down : null,
                    () -> fail("no DOWN"));
            assertEquals(ExitReason.NORMAL, d.reason(), "io:format returned ok: the process ended normally");
        });
    }
}

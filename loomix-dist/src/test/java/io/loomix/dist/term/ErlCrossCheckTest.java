package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.PortId;
import io.loomix.Ref;
import io.loomix.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The codec against the real {@code erl} (OTP 25 here, as CI installs it): erl writes each value
 * with {@code term_to_binary} and Java must read the documented Java value; Java writes that value
 * and erl must read it as {@code =:=} its own. Where Erlang's bytes are canonical and Java writes
 * the same shape, the bytes must be identical.
 */
class ErlCrossCheckTest {
    record Point(long x, long y) {}

    record User(String name, int age) {}

    static final TermRegistry TYPES = TermRegistry.builder()
            .record(Point.class, "point").struct(User.class, "MyApp.User").build();

    static final Atom PEER = Atom.of("peer@box");

    /**
     * @param erlang  an Erlang expression
     * @param out     the Java value that encodes to it
     * @param in      the Java value it decodes to ({@code out} unless the mapping is one-way)
     * @param exact   whether Java's bytes equal erl's {@code term_to_binary(V, [{minor_version, 2}])}
     */
    record Case(String erlang, Object out, Object in, boolean exact) {
        static Case same(String erlang, Object value) {
            return new Case(erlang, value, value, true);
        }

        static Case equal(String erlang, Object value) {
            return new Case(erlang, value, value, false);
        }
    }

    static ErlPeer erl;

    @BeforeAll
    static void startErl() throws IOException {
        Assumptions.assumeTrue(ErlPeer.available(),
                "erl is not on the PATH: install Erlang/OTP (apt-get install erlang-base) to cross-check the codec");
        erl = ErlPeer.start();
    }

    @AfterAll
    static void stopErl() throws IOException {
        if (erl != null) {
            erl.close();
        }
    }

    static List<Case> cases() {
        Atom a = Atom.of("a");
        List<Case> c = new ArrayList<>();
        c.add(Case.same("ok", Atom.of("ok")));
        c.add(Case.same("'héllo wörld ☃'", Atom.of("héllo wörld ☃")));
        c.add(Case.same("'" + "x".repeat(255) + "'", Atom.of("x".repeat(255))));
        c.add(Case.same("'" + "ü".repeat(255) + "'", Atom.of("ü".repeat(255))));
        c.add(Case.same("true", true));
        c.add(Case.same("false", false));
        for (long n : new long[] {0, 1, 255, 256, -1, -256, Integer.MAX_VALUE, Integer.MIN_VALUE,
                Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            c.add(Case.same(Long.toString(n), n));
        }
        c.add(new Case("7", 7, 7L, true));
        c.add(new Case("-7", (short) -7, -7L, true));
        c.add(Case.same("1 bsl 64", BigInteger.ONE.shiftLeft(64)));
        c.add(Case.same("-(1 bsl 64)", BigInteger.ONE.shiftLeft(64).negate()));
        c.add(Case.same("1 bsl 2100 - 7", BigInteger.ONE.shiftLeft(2100).subtract(BigInteger.valueOf(7))));
        c.add(Case.same("1.5", 1.5));
        c.add(Case.same("-2.25e-300", -2.25e-300));
        c.add(Case.same("1.0e300", 1.0e300));
        c.add(Case.same("0.1", 0.1));
        c.add(Case.same("<<>>", ""));
        c.add(Case.same("<<\"hello\">>", "hello"));
        c.add(Case.same("<<\"héllo ☃ 𝄞\"/utf8>>", "héllo ☃ 𝄞"));
        c.add(Case.same("<<255, 0, 192>>", Binary.of(255, 0, 192)));
        c.add(Case.same("<<5:3>>", new BitBinary(Binary.of(0xA0), 3)));
        c.add(Case.same("<<1, 2, 1:1>>", new BitBinary(Binary.of(1, 2, 0x80), 1)));
        c.add(Case.same("{}", Tuple.EMPTY));
        c.add(Case.same("{ok, 1, <<\"x\">>}", Tuple.of(Atom.of("ok"), 1L, "x")));
        c.add(Case.same("list_to_tuple(lists:seq(1, 300))",
                Tuple.of(LongStream.rangeClosed(1, 300).boxed().toArray())));
        c.add(Case.same("[]", List.of()));
        c.add(new Case("[1, 2, 3]", List.of(1, 2, 3), List.of(1L, 2L, 3L), false));
        c.add(Case.same("[1000, a, [b]]", List.of(1000L, a, List.of(Atom.of("b")))));
        c.add(new Case("\"abc\"", new Charlist("abc"), List.of(97L, 98L, 99L), true));
        c.add(new Case("[9731, 97]", new Charlist("☃a"), List.of(9731L, 97L), true));
        c.add(new Case("lists:seq(1, 70000)", LongStream.rangeClosed(1, 70000).boxed().toList(),
                LongStream.rangeClosed(1, 70000).boxed().toList(), false));
        c.add(Case.same("[a | b]", new ImproperList(List.of(a), Atom.of("b"))));
        c.add(Case.same("[1, 2 | <<\"t\">>]", new ImproperList(List.of(1L, 2L), "t")));
        c.add(Case.same("#{}", Map.of()));
        c.add(Case.equal("#{a => 1, <<\"k\">> => [x], {1} => 2.5}",
                Map.of(a, 1L, "k", List.of(Atom.of("x")), Tuple.of(1L), 2.5)));
        Map<Object, Object> big = new java.util.HashMap<>();
        for (long i = 1; i <= 40; i++) {
            big.put(i, Tuple.of(i));
        }
        c.add(Case.equal("maps:from_list([{I, {I}} || I <- lists:seq(1, 40)])", Map.copyOf(big)));
        c.add(Case.same("binary_to_term(<<131,88,119,8,\"peer@box\",1:32,2:32,3:32>>)", new Pid(PEER, 1, 2, 3)));
        c.add(Case.same("binary_to_term(<<131,88,119,8,\"peer@box\",16#80000001:32,16#ffffffff:32,16#fffffff0:32>>)",
                new Pid(PEER, 0x80000001, -1, 0xfffffff0)));
        c.add(Case.same("binary_to_term(<<131,90,0,3,119,8,\"peer@box\",9:32,1:32,2:32,3:32>>)", Ref.of(PEER, 9, 1, 2, 3)));
        c.add(Case.same("binary_to_term(<<131,90,0,5,119,8,\"peer@box\",9:32,16#ffffffff:32,2:32,3:32,4:32,5:32>>)",
                Ref.of(PEER, 9, -1, 2, 3, 4, 5)));
        c.add(Case.same("binary_to_term(<<131,89,119,8,\"peer@box\",77:32,4:32>>)", new PortId(PEER, 77, 4)));
        c.add(Case.same("binary_to_term(<<131,120,119,8,\"peer@box\",16#123456789ab:64,4:32>>)",
                new PortId(PEER, 0x123456789abL, 4)));
        c.add(Case.same("fun lists:map/2", new Export(Atom.of("lists"), Atom.of("map"), 2)));
        c.add(Case.same("{point, 1, -2}", new Point(1, -2)));
        c.add(Case.equal("#{'__struct__' => 'Elixir.MyApp.User', name => <<\"ann\">>, age => 7}", new User("ann", 7)));
        Ref ref = Ref.of(PEER, 9, 1, 2, 3);
        Pid pid = new Pid(PEER, 1, 2, 3);
        c.add(Case.same("{'DOWN', binary_to_term(<<131,90,0,3,119,8,\"peer@box\",9:32,1:32,2:32,3:32>>), process, "
                        + "binary_to_term(<<131,88,119,8,\"peer@box\",1:32,2:32,3:32>>), {shutdown, gone}}",
                new Down(ref, pid, new ExitReason.Shutdown(Atom.of("gone")))));
        c.add(new Case("{badarith, [{calc, 'div', 2, [{file, \"calc.erl\"}, {line, 12}]}]}",
                Tuple.of(Atom.of("badarith"), List.of(Tuple.of(Atom.of("calc"), Atom.of("div"), 2L,
                        List.of(Tuple.of(Atom.of("file"), new Charlist("calc.erl")), Tuple.of(Atom.of("line"), 12L))))),
                Tuple.of(Atom.of("badarith"), List.of(Tuple.of(Atom.of("calc"), Atom.of("div"), 2L,
                        List.of(Tuple.of(Atom.of("file"), "calc.erl".chars().mapToObj(ch -> (long) ch).toList()),
                                Tuple.of(Atom.of("line"), 12L))))), true));
        c.add(Case.equal("lists:duplicate(2000, {rep, <<\"same text\">>})",
                Collections.nCopies(2000, Tuple.of(Atom.of("rep"), "same text"))));
        return c;
    }

    @Test
    void erlAndJavaReadEachOthersTerms() throws IOException {
        List<Case> cases = cases();
        TermEncoder enc = new TermEncoder(TYPES);
        TermDecoder dec = new TermDecoder(TYPES, DecodeLimits.DEFAULT);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            byte[][] fromErl = erl.eval(i, c.erlang());
            for (byte[] bytes : fromErl) {
                Object decoded = dec.reset(bytes, 0, bytes.length).readVersioned();
                assertEquals(c.in(), decoded, "Java reading erl's " + c.erlang());
            }
            byte[] mine = enc.reset().writeVersioned(c.out()).toByteArray();
            assertTrue(erl.sameAs(i, mine), () -> "erl reading Java's " + c.out() + " as " + c.erlang());
            assertTrue(erl.sameAs(i, enc.reset().writeCompressed(c.out(), 6).toByteArray()),
                    () -> "erl reading Java's compressed " + c.erlang());
            if (c.exact()) {
                assertArrayEquals(fromErl[0], mine, () -> "the same bytes as erl for " + c.erlang());
            }
        }
    }

    @Test
    void valuesOnlyErlCanMakeGoBackUnchanged() throws IOException {
        // funs, local pids and refs: Java reads them and writes them back; erl must see its own value
        String[] made = {"fun(X) -> X + 1 end", "self()", "make_ref()", "hd(erlang:ports())",
                "{fun(A, B) -> {A, B} end, [self()], #{r => make_ref()}}"};
        TermDecoder dec = new TermDecoder(TYPES, DecodeLimits.DEFAULT);
        for (int i = 0; i < made.length; i++) {
            int index = 1000 + i;
            byte[] fromErl = erl.eval(index, made[i])[0];
            Object decoded = dec.reset(fromErl, 0, fromErl.length).readVersioned();
            byte[] back = Terms.encode(decoded, TYPES);
            assertTrue(erl.sameAs(index, back), "erl sees its own " + made[i] + " after a trip through Java: " + decoded);
        }
        Fun f = (Fun) Terms.decode(erl.eval(1100, "fun(X) -> X + 1 end")[0]);
        assertEquals(Atom.of("erl_eval"), f.module());
        assertEquals(1, f.arity());
    }

    /**
     * Random terms in their decoded Java form: Java writes each, erl reads it and writes it again
     * (its own choice of encodings: strings for small-int lists, its map order, ...), and Java must
     * read back exactly the value it started from.
     */
    @Test
    void randomTermsSurviveATripThroughErl() throws IOException {
        java.util.Random random = new java.util.Random(9);
        for (int i = 0; i < 400; i++) {
            Object term = RandomTerms.term(random, 4);
            byte[] mine = Terms.encode(term);
            assertEquals(term, Terms.decode(mine), () -> "Java's own round trip of " + term);
            byte[] erls = erl.echo(mine);
            assertEquals(term, Terms.decode(erls), () -> "erl's writing of " + term);
        }
    }

    @Test
    void aJavaCrashReadsInErlAsErrorAndStacktrace() throws IOException {
        byte[] crash = Terms.encode(new ExitReason.Crash(new IllegalStateException("boom")));
        byte[] echoed = erl.echo(crash);
        Tuple t = (Tuple) Terms.decode(echoed);
        assertEquals(Tuple.of(Atom.of("java.lang.IllegalStateException"), "boom"), t.get(0));
        Tuple frame = (Tuple) ((List<?>) t.get(1)).get(0);
        assertEquals(Atom.of(ErlCrossCheckTest.class.getName()), frame.get(0));
    }
}

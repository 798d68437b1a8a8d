package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Records registered as Erlang records or Elixir structs; look-alikes that do not fit stay plain terms. */
class TermRegistryTest {
    enum Color { RED, DARK_BLUE }

    record Point(long x, long y) {}

    record Order(String orderId, int quantity, Color color, List<Point> points, Charlist note, Binary raw) {}

    record User(String name, int age, ExitReason lastExit) {}

    record Person(String name) {}

    static final TermRegistry TYPES = TermRegistry.builder()
            .record(Point.class, "point")
            .record(Order.class, "order")
            .struct(User.class, "MyApp.User")
            .struct(Person.class, "Elixir.Person")
            .build();

    static Object roundTrip(Object v) {
        return Terms.decode(Terms.encode(v, TYPES), TYPES, DecodeLimits.DEFAULT);
    }

    @Test
    void aRecordIsATaggedTupleAndComesBackAsTheRecord() {
        Point p = new Point(1, -2);
        assertEquals(Tuple.of(Atom.of("point"), 1L, -2L), Terms.decode(Terms.encode(p, TYPES)),
                "without the registry the reader sees {point, 1, -2}");
        assertEquals(p, roundTrip(p));
        Order o = new Order("o-1", 3, Color.DARK_BLUE, List.of(p, new Point(5, 6)), new Charlist("hi"), Binary.of(0xFF));
        assertEquals(o, roundTrip(o));
        Tuple asErlang = (Tuple) Terms.decode(Terms.encode(o, TYPES));
        assertEquals(Atom.of("dark_blue"), asErlang.get(3), "enum constants are lower-case atoms");
        assertEquals(List.of(104L, 105L), asErlang.get(5), "a Charlist is a list of code points");
    }

    @Test
    void aStructIsAnElixirMapWithSnakeCaseKeys() {
        User u = new User("ann", 7, ExitReason.SHUTDOWN);
        @SuppressWarnings("unchecked")
        Map<Object, Object> asMap = (Map<Object, Object>) Terms.decode(Terms.encode(u, TYPES));
        assertEquals(Atom.of("Elixir.MyApp.User"), asMap.get(Atom.of("__struct__")));
        assertEquals("ann", asMap.get(Atom.of("name")));
        assertEquals(Atom.of("shutdown"), asMap.get(Atom.of("last_exit")));
        assertEquals(u, roundTrip(u));
        assertEquals(new Person("bo"), roundTrip(new Person("bo")), "an \"Elixir.\" prefix is not doubled");
        assertEquals("order_id", Mapping.snakeCase("orderId"));
        assertEquals("user_id", Mapping.snakeCase("userID"));
    }

    @Test
    void aStructWithExtraKeysStillFitsAndOneMissingAKeyStaysAMap() {
        Atom struct = Atom.of("__struct__");
        Atom module = Atom.of("Elixir.MyApp.User");
        Map<Object, Object> extra = Map.of(struct, module, Atom.of("name"), "cy", Atom.of("age"), 3L,
                Atom.of("last_exit"), Atom.of("normal"), Atom.of("since"), 2020L);
        assertEquals(new User("cy", 3, ExitReason.NORMAL), Terms.decode(Terms.encode(extra), TYPES, DecodeLimits.DEFAULT));
        Map<Object, Object> missing = Map.of(struct, module, Atom.of("name"), "cy");
        assertEquals(missing, Terms.decode(Terms.encode(missing), TYPES, DecodeLimits.DEFAULT));
    }

    @Test
    void aTupleThatDoesNotFitStaysATuple() {
        Atom point = Atom.of("point");
        for (Tuple t : List.of(Tuple.of(point, 1L), Tuple.of(point, "x", 2L), Tuple.of(point, 1.0, 2L),
                Tuple.of(point, 1L, 2L, 3L))) {
            assertEquals(t, Terms.decode(Terms.encode(t), TYPES, DecodeLimits.DEFAULT), t::toString);
        }
        Tuple tooBig = Tuple.of(Atom.of("order"), "o", 1L << 40, Atom.of("red"), List.of(), List.of(), "");
        assertEquals(tooBig, Terms.decode(Terms.encode(tooBig), TYPES, DecodeLimits.DEFAULT),
                "a quantity beyond int does not fit the int component");
        Tuple badEnum = Tuple.of(Atom.of("order"), "o", 1L, Atom.of("green"), List.of(), List.of(), "");
        assertEquals(badEnum, Terms.decode(Terms.encode(badEnum), TYPES, DecodeLimits.DEFAULT));
    }

    @Test
    void registrationMistakesAreCaughtAtBuildTime() {
        record Other(long a, long b) {}
        var clash = assertThrows(IllegalArgumentException.class,
                () -> TermRegistry.builder().record(Point.class, "point").record(Other.class, "point"));
        assertTrue(clash.getMessage().contains("Point"), clash.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TermRegistry.builder().record(Point.class, "point").record(Point.class, "pt"));
        assertThrows(IllegalArgumentException.class,
                () -> TermRegistry.builder().struct(Person.class, "P").struct(User.class, "P"));
    }

    @Test
    void aRemoteCrashIsACrashWhoseStackIsTheErlangOne() {
        Object reason = Tuple.of(Atom.of("badarith"), List.of(
                Tuple.of(Atom.of("calc"), Atom.of("div"), 2L, List.of(Tuple.of(Atom.of("file"), new Charlist("calc.erl")),
                        Tuple.of(Atom.of("line"), 12L)))));
        ExitReason r = ExitReasons.fromTerm(Terms.decode(Terms.encode(reason)));
        ExitReason.Crash crash = assertInstanceOf(ExitReason.Crash.class, r);
        RemoteError err = assertInstanceOf(RemoteError.class, crash.error());
        assertEquals(Atom.of("badarith"), err.error());
        assertEquals("calc", err.getStackTrace()[0].getClassName());
        assertEquals("div", err.getStackTrace()[0].getMethodName());
        assertEquals("calc.erl", err.getStackTrace()[0].getFileName());
        assertEquals(12, err.getStackTrace()[0].getLineNumber());
        assertEquals(Terms.decode(Terms.encode(reason)), Terms.decode(Terms.encode(r)), "a remote crash goes on unchanged");
    }

    @Test
    void aJavaCrashGoesOutAsErrorAndStacktrace() {
        IllegalStateException boom = new IllegalStateException("boom");
        Tuple t = (Tuple) Terms.decode(Terms.encode(new ExitReason.Crash(boom)));
        assertEquals(Tuple.of(Atom.of("java.lang.IllegalStateException"), "boom"), t.get(0));
        List<?> stack = (List<?>) t.get(1);
        assertFalse(stack.isEmpty());
        Tuple top = (Tuple) stack.get(0);
        assertEquals(Atom.of(TermRegistryTest.class.getName()), top.get(0));
        ExitReason back = ExitReasons.fromTerm(t);
        assertInstanceOf(RemoteError.class, ((ExitReason.Crash) back).error(), "and reads back as a crash");
    }

    @Test
    void namedReasonsMapBothWays() {
        for (ExitReason r : List.of(ExitReason.NORMAL, ExitReason.SHUTDOWN, ExitReason.KILL, ExitReason.KILLED,
                ExitReason.NOPROC, ExitReason.NOCONNECTION)) {
            assertSame(r, ExitReasons.fromTerm(Terms.decode(Terms.encode(r))));
        }
        assertEquals(new ExitReason.Term(Atom.of("other")), ExitReasons.fromTerm(Atom.of("other")));
        assertEquals(new ExitReason.Term("normal"), ExitReasons.fromTerm("normal"), "a string is not the atom normal");
        assertEquals(new ExitReason.Term(Tuple.of(Atom.of("ok"), List.of())),
                ExitReasons.fromTerm(Tuple.of(Atom.of("ok"), List.of())), "no stack frames: not a crash");
        Pid p = new Pid(Atom.of("n@h"), 1, 1, 1);
        assertEquals(new ExitReason.Shutdown(p), ExitReasons.fromTerm(Tuple.of(Atom.of("shutdown"), p)));
    }
}

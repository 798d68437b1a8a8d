package io.loomix;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Strict mode (on in this suite: -Dloomix.strict=true) rejects messages that could be shared mutably. */
class StrictModeTest {
    record Order(String id, List<String> items) {}

    record Raw(int[] data) {}

    static final class Mutable {
        int counter;
    }

    enum Color { RED }

    /** A program's own exception: Throwable's JDK fields (backtrace, stackTrace) are not final. */
    static final class OutOfStock extends RuntimeException {
        private final String item;

        OutOfStock(String item) {
            super("out of " + item);
            this.item = item;
        }
    }

    @Test
    void aProgramsOwnExceptionPassesAsAnExitReasonAndAsAMessage() {
        // issue 12: such an exception was rejected for the JDK's own 'backtrace' field
        run(() -> {
            OutOfStock e = new OutOfStock("milk");
            send(self(), e);
            send(self(), ExitReason.of(e));
            Monitored m = spawnMonitor(() -> {
                throw new OutOfStock("bread");
            });
            Down d = receive(x -> x instanceof Down down && down.ref().equals(m.ref()) ? down : null);
            assertInstanceOf(OutOfStock.class, ((ExitReason.Crash) d.reason()).error());
            assertEquals(List.of(e, ExitReason.of(e)), flush());
        });
    }

    @Test
    void immutableValuesPass() {
        run(() -> {
            Object[] ok = {
                "s", 1, 2L, 3.0, true, 'c', Color.RED, Atom.of("a"), self(), makeRef(),
                new Order("o1", List.of("a", "b")), Map.of("k", List.of(1, 2)), Optional.of("x"),
                java.time.Duration.ofSeconds(1), new java.math.BigInteger("123"),
                List.copyOf(new ArrayList<>(List.of(1))), java.util.stream.Stream.of(1, 2).toList(),
                ExitReason.NORMAL, new Exit(self(), ExitReason.KILLED),
                Binary.of(1, 2), Tuple.of(Atom.of("ok"), Binary.utf8("x"), List.of(1)),
                new PortId(Atom.of("a@b"), 5, 1)
            };
            for (Object m : ok) {
                send(self(), m);
            }
            assertEquals(ok.length, flush().size());
        });
    }

    @Test
    void mutableValuesAreRejectedNamingClassAndField() {
        run(() -> {
            var list = assertThrows(IllegalArgumentException.class,
                    () -> send(self(), new Order("o1", new ArrayList<>(List.of("a")))));
            assertTrue(list.getMessage().contains("Order.items"), list.getMessage());
            assertTrue(list.getMessage().contains("java.util.ArrayList"), list.getMessage());

            var array = assertThrows(IllegalArgumentException.class, () -> send(self(), new Raw(new int[] {1})));
            assertTrue(array.getMessage().contains("data"), array.getMessage());

            var mutable = assertThrows(IllegalArgumentException.class, () -> send(self(), new Mutable()));
            assertTrue(mutable.getMessage().contains("'counter'"), mutable.getMessage());

            var inTuple = assertThrows(IllegalArgumentException.class,
                    () -> send(self(), Tuple.of(Atom.of("ok"), new ArrayList<>())));
            assertTrue(inTuple.getMessage().contains("{1}"), inTuple.getMessage());

            var view = assertThrows(IllegalArgumentException.class,
                    () -> send(self(), Collections.unmodifiableList(new ArrayList<String>())));
            assertTrue(view.getMessage().contains("List.copyOf"), view.getMessage());

            var nested = assertThrows(IllegalArgumentException.class,
                    () -> send(self(), List.of(Map.of("k", new StringBuilder()))));
            assertTrue(nested.getMessage().contains("[0]{k}"), nested.getMessage());
            assertTrue(flush().isEmpty(), "rejected messages must not be delivered");
        });
    }

    record Link(int n, Link next) {}

    /** Two objects that hold each other through final fields: a constructor leaked {@code this}. */
    static final class Knot {
        final Knot other;

        Knot() {
            other = new Knot(this);
        }

        Knot(Knot other) {
            this.other = other;
        }
    }

    private static Link chain(int length, Object last) {
        Link l = null;
        for (int i = 0; i < length; i++) {
            l = new Link(i, l);
        }
        return l;
    }

    @Test
    void deeplyNestedImmutableValuesPassAndCyclesEnd() {
        run(() -> {
            send(self(), chain(100, null));
            Object list = "leaf";
            for (int i = 0; i < 70; i++) {
                list = List.of(list);
            }
            send(self(), list);
            send(self(), chain(200_000, null)); // deeper than any stack would allow to recurse
            send(self(), new Knot());
            assertEquals(4, flush().size());
        });
    }

    record Holder(Object value) {}

    @Test
    void aMutableValueDeepDownIsFoundWithItsPath() {
        run(() -> {
            Object deep = new Holder(new StringBuilder());
            for (int i = 0; i < 5_000; i++) {
                deep = new Holder(deep);
            }
            Object message = deep;
            var e = assertThrows(IllegalArgumentException.class, () -> send(self(), message));
            assertTrue(e.getMessage().contains(".value.value.value"), e.getMessage().substring(0, 200));
            assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage().substring(0, 200));
        });
    }
}

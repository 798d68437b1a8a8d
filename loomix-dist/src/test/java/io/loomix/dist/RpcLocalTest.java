package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * rpc to this node (no distribution needed): how a module, function and arguments find a Java
 * method, and the results and errors as rpc:call gives them. The same resolution serves other
 * nodes' requests (ErlSpawnRpcTest, LoomixSpawnRpcTest).
 */
class RpcLocalTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final Atom HERE = Atom.of("nonode@nohost");

    @AfterEach
    void noResolver() {
        Node.classResolver(null);
    }

    private static Object call(String module, String function, Object... args) {
        return Rpc.call(HERE, Atom.of(module), Atom.of(function), List.of(args), T);
    }

    private static Tuple badrpcExit(Object reason) {
        return Tuple.of(Atom.of("badrpc"), Tuple.of(Atom.of("EXIT"), reason));
    }

    @Test
    void overloadsAreChosenByArityAndArgumentTypes() {
        String t = SpawnTargets.class.getName();
        assertEquals(7L, call("java.lang.Math", "max", 3L, 7L));
        assertEquals(2.5, call("java.lang.Math", "max", 2.5, 1.0));
        assertEquals("long", call(t, "kind", 1L));
        assertEquals("double", call(t, "kind", 1.5));
        assertEquals("object", call(t, "kind", Atom.of("a")));
        assertEquals("abcd", call(t, "concat", "ab", "cd"));
    }

    @Test
    void missingFunctionsAndBadArgumentsAreErlangsErrors() {
        assertEquals(badrpcExit(Tuple.of(Atom.of("undef"), List.of(Tuple.of(Atom.of("no.Such"), Atom.of("f"), List.of(1L), List.of())))),
                call("no.Such", "f", 1L));
        // max/3 does not exist: undef, as a wrong arity is in Erlang
        assertEquals(badrpcExit(Tuple.of(Atom.of("undef"), List.of(Tuple.of(Atom.of("java.lang.Math"), Atom.of("max"),
                List.of(1L, 2L, 3L), List.of())))), call("java.lang.Math", "max", 1L, 2L, 3L));
        // the arity exists but no overload takes an atom
        assertEquals(badrpcExit(Tuple.of(Atom.of("badarg"), List.of(Tuple.of(Atom.of("java.lang.Math"), Atom.of("abs"),
                List.of(Atom.of("x")), List.of())))), call("java.lang.Math", "abs", Atom.of("x")));
        assertEquals(badrpcExit(Atom.of("bye")), call("erlang", "exit", Atom.of("bye")));
        assertEquals(Atom.of("thrown"), call("erlang", "throw", Atom.of("thrown")));
        Tuple crash = (Tuple) ((Tuple) ((Tuple) call(SpawnTargets.class.getName(), "crash", "boom")).get(1)).get(1);
        assertEquals(Tuple.of(Atom.of("java.lang.IllegalStateException"), io.loomix.Binary.utf8("boom")), crash.get(0));
    }

    @Test
    void voidIsOkAndAValueThatIsNotATermIsAnError() {
        assertEquals(Atom.of("ok"), call("java.lang.Thread", "onSpinWait"));
        Object r = call("java.time.Duration", "ofSeconds", 1L);
        assertEquals(badrpcExit(Tuple.of(Tuple.of(Atom.of("not_a_term"), io.loomix.Binary.utf8("java.time.Duration")), List.of())), r);
    }

    @Test
    void aLambdaIsRebuiltFromItsTermAndOneCapturingANonTermIsRefused() {
        io.loomix.Down down = io.loomix.Process.run(() -> {
            io.loomix.Pid me = io.loomix.Process.self();
            int n = 42;
            String s = "text";
            var m = Node.spawnMonitor(HERE, () -> io.loomix.Process.send(me, Tuple.of(Atom.of("lambda"), n, s)));
            assertEquals(Tuple.of(Atom.of("lambda"), 42, "text"), io.loomix.Process.receive(Duration.ofSeconds(10),
                    x -> x instanceof Tuple t && t.get(0) == Atom.of("lambda") ? x : null, () -> "none"));
            return (io.loomix.Down) io.loomix.Process.receive(Duration.ofSeconds(10),
                    x -> x instanceof io.loomix.Down d && d.ref().equals(m.ref()) ? x : null, () -> null);
        });
        assertEquals(io.loomix.ExitReason.NORMAL, down.reason());
        Object notATerm = new Object();
        var e = assertThrows(IllegalArgumentException.class,
                () -> Node.spawn(Atom.of("other@host"), () -> System.out.println(notATerm)));
        assertTrue(e.getMessage().contains("captures a java.lang.Object"), e.getMessage());
    }

    @Test
    void aClassResolverFindsModulesBeforeTheClassPath() {
        assertEquals(Atom.of("undef"), ((Tuple) ((Tuple) ((Tuple) call("Renamed", "concat", "a", "b")).get(1)).get(1)).get(0));
        Node.classResolver(name -> name.equals("Renamed") ? SpawnTargets.class : null);
        assertEquals("ab", call("Renamed", "concat", "a", "b"));
        assertEquals(7L, call("java.lang.Math", "max", 3L, 7L), "names it does not know fall back to the class path");
    }
}

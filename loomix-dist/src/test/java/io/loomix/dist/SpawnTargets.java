package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;

/** Public static methods other nodes spawn and call on a Loomix node in the spawn and rpc tests. */
public final class SpawnTargets {
    private SpawnTargets() {}

    /** Sends {reply, What, node()} to {@code to}. */
    public static void reply(Pid to, Object what) {
        Process.send(to, Tuple.of(Atom.of("reply"), what, Process.node()));
    }

    /** Waits for any message, then exits with it as the reason. */
    public static void awaitExit() {
        throw Process.exit(Process.receive());
    }

    /**
     * Traps exits, then sends {child, self()} to the process registered as {@code tester}, then
     * {child_got, self(), What} for the first message it gets (an exit signal arrives as an Exit).
     * Trapping comes first: an exit that came between the hello and the trap killed the child, and
     * the tester's monitor, made after the hello, then said noproc instead of the exit's reason
     * (seen under load). An exit before the trap leaves no hello, and the tester tries again.
     */
    public static void trapAndReport(Atom tester) {
        Process.trapExit(true);
        Process.send(Process.whereis(tester).orElseThrow(), Tuple.of(Atom.of("child"), Process.self()));
        Process.send(Process.whereis(tester).orElseThrow(), Tuple.of(Atom.of("child_got"), Process.self(), Process.receive()));
    }

    /** This node's rpc of {@code erlang:node()} on {@code node}. */
    public static Object nodeOf(Atom node) {
        return Rpc.call(node, Atom.of("erlang"), Atom.of("node"), java.util.List.of(), java.time.Duration.ofSeconds(10));
    }

    public static void crash(String why) {
        throw new IllegalStateException(why);
    }

    public static String concat(String a, String b) {
        return a + b;
    }

    /** Overloads told apart by argument type: an integer takes the long one, a float the double one. */
    public static String kind(long n) {
        return "long";
    }

    public static String kind(double d) {
        return "double";
    }

    public static String kind(Object o) {
        return "object";
    }
}

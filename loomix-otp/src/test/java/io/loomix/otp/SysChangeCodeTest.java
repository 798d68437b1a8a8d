package io.loomix.otp;

import io.loomix.Down;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** {@link Sys#changeCode(List, Duration)}: suspend, code change and resume of several servers at once. */
@ExtendWith(ProcessExtension.class)
class SysChangeCodeTest {
    private static final Probe PROBE = Probe.withTimeout(Duration.ofSeconds(10));
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    record Get() {}

    record Add(int n) {}

    /** Tells {@code holding} it holds the call, then holds it until it gets "go": a server too busy to answer a system message. */
    record Hold(Pid holding) {}

    static class Counter extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(0);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            if (request instanceof Hold(Pid holding)) {
                send(holding, "holding");
                receive(m -> "go".equals(m) ? m : null);
            }
            return reply(n, n);
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            return noReply(n + ((Add) request).n());
        }
    }

    /** The next version: codeChange adds 100 to what it is handed. */
    static class Next extends Counter {
        @Override
        protected Integer codeChange(Object oldVsn, Integer n, Object extra) {
            return n + 100;
        }
    }

    static final class Broken extends Counter {
        @Override
        protected Integer codeChange(Object oldVsn, Integer n, Object extra) {
            throw new IllegalStateException("cannot migrate");
        }
    }

    private static Pid counter(int n) {
        Pid c = GenServer.startLink(new Counter());
        GenServer.cast(c, new Add(n));
        return c;
    }

    private static Sys.Change doubleThenMove(Pid server, GenServer<?> to) {
        return new Sys.Change(server, to, 1, List.of(), s -> (Integer) s * 2);
    }

    @Test
    void severalServersMoveEachWithItsStateConvertedThenMigrated() {
        List<Pid> servers = List.of(counter(1), counter(2), counter(3));
        List<Sys.Changed> changed = Sys.changeCode(servers.stream().map(s -> doubleThenMove(s, new Next())).toList(), TIMEOUT);
        assertEquals(servers.stream().map(s -> (Sys.Changed) new Sys.Changed.Moved(s)).toList(), changed);
        for (int i = 0; i < servers.size(); i++) {
            assertEquals(Next.class, Sys.module(servers.get(i)));
            assertEquals(2 * (i + 1) + 100, (int) GenServer.call(servers.get(i), new Get()));
        }
    }

    @Test
    void oneServerMovesAndIsResumed() {
        Pid c = counter(7);
        assertEquals(List.of(new Sys.Changed.Moved(c)), Sys.changeCode(List.of(doubleThenMove(c, new Next())), TIMEOUT));
        assertEquals(114, (int) GenServer.call(c, new Get()));
    }

    @Test
    void aServerWhoseConvertOrCodeChangeThrowsKeepsItsCodeAndStateAndRuns() {
        Pid broken = counter(1);
        Pid badConvert = counter(2);
        Pid fine = counter(3);
        List<Sys.Changed> changed = Sys.changeCode(List.of(
                doubleThenMove(broken, new Broken()),
                new Sys.Change(badConvert, new Next(), 1, List.of(), s -> {
                    throw new IllegalArgumentException("no conversion");
                }),
                doubleThenMove(fine, new Next())), TIMEOUT);
        assertTrue(changed.get(0) instanceof Sys.Changed.Stayed(Pid p, String why) && p.equals(broken)
                && why.contains("cannot migrate"), changed.toString());
        assertTrue(changed.get(1) instanceof Sys.Changed.Stayed(Pid p, String why) && p.equals(badConvert)
                && why.contains("no conversion"), changed.toString());
        assertEquals(new Sys.Changed.Moved(fine), changed.get(2));
        assertEquals(Counter.class, Sys.module(broken));
        assertEquals(1, (int) GenServer.call(broken, new Get()), "the state before the conversion, and resumed");
        assertEquals(Counter.class, Sys.module(badConvert));
        assertEquals(2, (int) GenServer.call(badConvert, new Get()));
        assertEquals(106, (int) GenServer.call(fine, new Get()));
    }

    @Test
    void aServerThatIsGoneStaysAndTheOthersMove() {
        Pid gone = GenServer.start(new Counter());
        Ref ref = monitor(gone);
        GenServer.stop(gone);
        PROBE.expectDown(ref);
        Pid c = counter(1);
        List<Sys.Changed> changed = Sys.changeCode(List.of(doubleThenMove(gone, new Next()), doubleThenMove(c, new Next())),
                TIMEOUT);
        assertTrue(changed.get(0) instanceof Sys.Changed.Stayed(Pid p, String why) && p.equals(gone)
                && why.contains("noproc"), changed.toString());
        assertEquals(new Sys.Changed.Moved(c), changed.get(1));
    }

    /**
     * A server busy past the timeout gets to its suspend only later: the resume sent after it
     * keeps it from staying suspended, so it answers calls again once it is free.
     */
    @Test
    void aServerTooBusyToAnswerItsSuspendIsNotLeftSuspended() {
        Pid busy = counter(5);
        Pid c = counter(1);
        Pid me = self();
        Ref holder = spawnMonitor(() -> {
            Integer held = GenServer.call(busy, new Hold(me));
            send(me, List.of("held", held));
        }).ref();
        receive(m -> "holding".equals(m) ? m : null);
        List<Sys.Changed> changed = Sys.changeCode(List.of(doubleThenMove(busy, new Next()), doubleThenMove(c, new Next())),
                Duration.ofMillis(100));
        assertTrue(changed.get(0) instanceof Sys.Changed.Stayed(Pid p, String why) && p.equals(busy)
                && why.contains("timeout"), changed.toString());
        assertEquals(new Sys.Changed.Moved(c), changed.get(1));
        send(busy, "go");
        assertEquals(List.of("held", 5), receive(m -> m instanceof List<?> l && "held".equals(l.get(0)) ? l : null));
        assertEquals(5, (int) GenServer.call(busy, new Get(), Duration.ofSeconds(5)), "resumed, on its old code");
        assertEquals(Counter.class, Sys.module(busy));
        assertInstanceOf(Down.class, PROBE.expectDown(holder));
    }

    /**
     * A server stopping while it is moved, at every point of the exchange: the others always move
     * and run, the stopping one is reported moved or stayed, and nothing is left waiting (no answer
     * or monitor of it is left in the mailbox).
     */
    @Test
    void aServerStoppingWhileItIsMovedNeverHoldsUpTheOthers() {
        java.util.Random random = new java.util.Random(11);
        for (int round = 0; round < 300; round++) {
            Pid a = counter(1);
            Pid dying = GenServer.start(new Counter());
            Pid b = counter(2);
            int spins = random.nextInt(2_000);
            Ref stopper = spawnMonitor(() -> {
                for (int i = 0; i < spins; i++) {
                    Thread.onSpinWait();
                }
                GenServer.stop(dying);
            }).ref();
            List<Sys.Changed> changed = Sys.changeCode(List.of(doubleThenMove(a, new Next()), doubleThenMove(dying, new Next()),
                    doubleThenMove(b, new Next())), TIMEOUT);
            assertEquals(new Sys.Changed.Moved(a), changed.get(0), "round " + round);
            assertEquals(dying, changed.get(1).server());
            assertEquals(new Sys.Changed.Moved(b), changed.get(2), "round " + round);
            assertEquals(102, (int) GenServer.call(a, new Get()));
            assertEquals(104, (int) GenServer.call(b, new Get()));
            PROBE.expectDown(stopper);
            assertEquals(List.of(), flush(), "round " + round + ": nothing of the exchange left behind");
            GenServer.stop(a);
            GenServer.stop(b);
        }
    }

    @Test
    void noChangesIsNothingToDo() {
        assertEquals(List.of(), Sys.changeCode(new ArrayList<>(), TIMEOUT));
    }
}

package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The supervisor's restart decisions, tested without processes. */
class ChildrenTest {
    private static final ExitReason CRASH = ExitReason.of(Atom.of("crash"));
    private static final long SECOND = 1_000_000_000L;

    private static Pid pid(int n) {
        return new Pid(Atom.of("test@nowhere"), n, 0, 0);
    }

    private static ChildSpec spec(String id, ChildSpec.Restart restart) {
        return ChildSpec.worker(id, () -> null).withRestart(restart);
    }

    /** Children a, b, c, d running as pids 1..4. */
    private static Children children(Strategy strategy, ChildSpec.Restart... restarts) {
        Children c = new Children(strategy, new RestartIntensity(3, Duration.ofSeconds(5)));
        String[] ids = {"a", "b", "c", "d"};
        for (int i = 0; i < ids.length; i++) {
            c.add(spec(ids[i], i < restarts.length ? restarts[i] : ChildSpec.Restart.PERMANENT));
            c.started(ids[i], pid(i + 1));
        }
        return c;
    }

    @Test
    void oneForOneRestartsOnlyTheChildThatExited() {
        Children c = children(Strategy.ONE_FOR_ONE);
        assertEquals(new Children.Restart("b", List.of(), List.of("b")), c.exited(pid(2), CRASH, 0));
    }

    @Test
    void oneForAllStopsTheOthersInReverseOrderAndStartsAllInOrder() {
        Children c = children(Strategy.ONE_FOR_ALL);
        assertEquals(new Children.Restart("b", List.of("d", "c", "a"), List.of("a", "b", "c", "d")),
                c.exited(pid(2), CRASH, 0));
    }

    @Test
    void restForOneTakesTheChildrenStartedAfterIt() {
        Children c = children(Strategy.REST_FOR_ONE);
        assertEquals(new Children.Restart("b", List.of("d", "c"), List.of("b", "c", "d")), c.exited(pid(2), CRASH, 0));
        Children last = children(Strategy.REST_FOR_ONE);
        assertEquals(new Children.Restart("d", List.of(), List.of("d")), last.exited(pid(4), CRASH, 0));
    }

    @Test
    void groupRestartsLeaveTemporaryChildrenStoppedAndSkipStoppedOnes() {
        Children c = children(Strategy.ONE_FOR_ALL, ChildSpec.Restart.PERMANENT, ChildSpec.Restart.PERMANENT,
                ChildSpec.Restart.TEMPORARY);
        c.stopped("d"); // terminated by hand: nothing to stop, but it is started again with the group
        assertEquals(new Children.Restart("a", List.of("c", "b"), List.of("a", "b", "d")), c.exited(pid(1), CRASH, 0));
    }

    @Test
    void transientRestartsOnlyAfterAnAbnormalExit() {
        Children c = children(Strategy.ONE_FOR_ONE, ChildSpec.Restart.TRANSIENT, ChildSpec.Restart.TRANSIENT,
                ChildSpec.Restart.TRANSIENT);
        assertEquals(new Children.NoRestart("a"), c.exited(pid(1), ExitReason.NORMAL, 0));
        assertEquals(new Children.NoRestart("b"), c.exited(pid(2), new ExitReason.Shutdown("bye"), 0));
        assertInstanceOf(Children.Restart.class, c.exited(pid(3), CRASH, 0));
        assertEquals(4, c.all().size(), "transient children keep their spec");
    }

    @Test
    void temporaryChildrenAreNeverRestartedAndForgotten() {
        Children c = children(Strategy.ONE_FOR_ONE, ChildSpec.Restart.TEMPORARY);
        assertEquals(new Children.NoRestart("a"), c.exited(pid(1), CRASH, 0));
        assertTrue(c.find("a").isEmpty());
    }

    @Test
    void permanentChildrenRestartEvenAfterANormalExit() {
        Children c = children(Strategy.ONE_FOR_ONE);
        assertInstanceOf(Children.Restart.class, c.exited(pid(1), ExitReason.NORMAL, 0));
    }

    @Test
    void anUnknownPidIsNotAChild() {
        assertEquals(new Children.NotAChild(), children(Strategy.ONE_FOR_ONE).exited(pid(99), CRASH, 0));
    }

    @Test
    void theFourthRestartWithinFiveSecondsGivesUp() {
        Children c = children(Strategy.ONE_FOR_ONE);
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Children.Restart.class, c.exited(pid(1), CRASH, i * SECOND));
            c.started("a", pid(1));
        }
        assertEquals(new Children.GiveUp("a", CRASH), c.exited(pid(1), CRASH, 3 * SECOND));
    }

    @Test
    void restartsOlderThanThePeriodNoLongerCount() {
        Children c = children(Strategy.ONE_FOR_ONE);
        for (int i = 0; i < 10; i++) { // one every 2 s: never more than 3 within 5 s
            assertInstanceOf(Children.Restart.class, c.exited(pid(1), CRASH, i * 2 * SECOND), "restart " + i);
            c.started("a", pid(1));
        }
    }

    @Test
    void aFailedRestartCountsAsAnotherRestart() {
        Children c = children(Strategy.ONE_FOR_ONE);
        assertInstanceOf(Children.Restart.class, c.exited(pid(1), CRASH, 0));
        c.restartFailed("a");
        assertInstanceOf(Children.Restart.class, c.startFailed("a", CRASH, 1));
        c.restartFailed("a");
        assertInstanceOf(Children.Restart.class, c.startFailed("a", CRASH, 2));
        c.restartFailed("a");
        assertInstanceOf(Children.GiveUp.class, c.startFailed("a", CRASH, 3));
    }

    /** The chaos fault: a stale retry used to forget a running child, leaving it orphaned. */
    @Test
    void aRetryForAChildThatIsRunningAgainIsStale() {
        Children c = children(Strategy.ONE_FOR_ALL);
        assertInstanceOf(Children.Restart.class, c.exited(pid(1), CRASH, 0));
        c.restartFailed("a");                      // its retry is now queued
        c.exited(pid(2), CRASH, 1);                // another child's restart starts the whole group again
        c.started("a", pid(11));
        c.started("b", pid(12));
        assertEquals(new Children.NotAChild(), c.startFailed("a", CRASH, 2));
        assertEquals(pid(11), c.child("a").pid, "the running child is still known");
    }

    @Test
    void aRetryForAChildTerminatedMeanwhileIsStale() {
        Children c = children(Strategy.ONE_FOR_ONE);
        c.exited(pid(1), CRASH, 0);
        c.restartFailed("a");
        c.stopped("a");                            // terminateChild of a restarting child
        assertEquals(new Children.NotAChild(), c.startFailed("a", CRASH, 1));
    }

    @Test
    void zeroIntensityGivesUpAtTheFirstRestart() {
        RestartIntensity none = new RestartIntensity(0, Duration.ofSeconds(1));
        assertFalse(none.add(0));
    }

    @Test
    void strategiesAsRanges() {
        assertEquals(new Strategy.Range(2, 3), Strategy.ONE_FOR_ONE.affected(2, 5));
        assertEquals(new Strategy.Range(0, 5), Strategy.ONE_FOR_ALL.affected(2, 5));
        assertEquals(new Strategy.Range(2, 5), Strategy.REST_FOR_ONE.affected(2, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> Strategy.ONE_FOR_ONE.affected(5, 5));
    }
}

package io.loomix.testkit;

import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each expectation passes on what it names and fails, saying what came instead, on anything else. */
@ExtendWith(ProcessExtension.class)
class ProbeTest {
    private final Probe probe = Probe.create();
    private final Probe quick = Probe.withTimeout(Duration.ofMillis(50));

    record Ping(Pid from) {}

    record Pong(int n) {}

    @Test
    void expectMessageTakesTheNextMessageInOrder() {
        send(self(), new Pong(1));
        send(self(), new Pong(2));
        assertEquals(new Pong(1), probe.expectMessage());
        assertEquals(new Pong(2), probe.expectMessage(new Pong(2)));
    }

    @Test
    void expectMessageWaitsForAMessageFromAnotherProcess() {
        Pid ponger = spawnLink(() -> receive(m -> m instanceof Ping(Pid from) ? send(from, new Pong(7)) : null));
        send(ponger, new Ping(self()));
        assertEquals(7, probe.expectMessage(Pong.class).n());
    }

    @Test
    void expectMessageFailsOnAnotherMessageNamingIt() {
        send(self(), new Pong(1));
        var e = assertThrows(AssertionFailedError.class, () -> probe.expectMessage(new Pong(2)));
        assertEquals("expected the message Pong[n=2], but the next message was Pong[n=1] (io.loomix.testkit.ProbeTest$Pong)",
                e.getMessage());
    }

    @Test
    void expectMessageOfATypeFailsOnAnotherType() {
        send(self(), "text");
        var e = assertThrows(AssertionFailedError.class, () -> probe.expectMessage(Pong.class));
        assertTrue(e.getMessage().startsWith("expected a message of type io.loomix.testkit.ProbeTest$Pong, but the next message was text"),
                e.getMessage());
    }

    @Test
    void expectMessageFailsAfterItsTimeout() {
        var e = assertThrows(AssertionFailedError.class, quick::expectMessage);
        assertEquals("expected a message within PT0.05S, but none arrived", e.getMessage());
    }

    @Test
    void expectNoMessagePassesOnSilenceAndFailsOnAMessage() {
        quick.expectNoMessage(Duration.ofMillis(20));
        send(self(), new Pong(3));
        var e = assertThrows(AssertionFailedError.class, () -> quick.expectNoMessage(Duration.ofMillis(20)));
        assertTrue(e.getMessage().startsWith("expected no message for PT0.02S, but got Pong[n=3]"), e.getMessage());
    }

    @Test
    void expectDownPicksItsDownAndLeavesTheRest() {
        send(self(), "earlier");
        Monitored m = spawnMonitor(() -> exit("gone"));
        Down d = probe.expectDown(m.ref(), ExitReason.of("gone"));
        assertEquals(m.pid(), d.object());
        assertEquals("earlier", probe.expectMessage());
    }

    @Test
    void expectDownFailsOnAnotherReason() {
        Monitored m = spawnMonitor(() -> exit("gone"));
        var e = assertThrows(AssertionFailedError.class, () -> probe.expectDown(m.ref(), ExitReason.NORMAL));
        assertEquals("expected " + m.pid() + " to exit with normal, but it exited with " + ExitReason.of("gone"), e.getMessage());
    }

    @Test
    void expectExitNeedsATrappingProcess() {
        Pid p = spawnLink(() -> receive());
        var e = assertThrows(IllegalStateException.class, () -> probe.expectExit(p, ExitReason.KILLED));
        assertTrue(e.getMessage().startsWith("expectExit needs a process that traps exits"), e.getMessage());
    }

    @Test
    void expectExitTakesTheExitOfALinkedProcess() {
        trapExit(true);
        Pid p = spawnLink(() -> exit("bye"));
        Exit x = probe.expectExit(p, ExitReason.of("bye"));
        assertEquals(p, x.from());
        Pid q = spawnLink(() -> exit("other"));
        var e = assertThrows(AssertionFailedError.class, () -> probe.expectExit(q, ExitReason.NORMAL));
        assertEquals("expected " + q + " to exit with normal, but it exited with " + ExitReason.of("other"), e.getMessage());
    }

    @Test
    void fishForMessageDropsUntilAMatch() {
        for (int i = 0; i < 5; i++) {
            send(self(), new Pong(i));
        }
        int n = probe.fishForMessage(m -> m instanceof Pong(int k) && k == 3 ? k : null);
        assertEquals(3, n);
        assertEquals(new Pong(4), probe.expectMessage(), "0..2 were dropped, 4 stays");
    }

    @Test
    void fishForMessageFailsListingWhatItDropped() {
        send(self(), new Pong(1));
        var e = assertThrows(AssertionFailedError.class, () -> quick.fishForMessage(m -> m instanceof String s ? s : null));
        assertEquals("no message matched within PT0.05S; dropped [Pong[n=1]]", e.getMessage());
    }

    @Test
    void expectReceiveLeavesOtherMessagesQueued() {
        send(self(), new Pong(1));
        send(self(), "wanted");
        assertEquals("wanted", probe.expectReceive(m -> m instanceof String s ? s : null));
        assertEquals(new Pong(1), probe.expectMessage());
        var e = assertThrows(AssertionFailedError.class, () -> quick.expectReceive(m -> m instanceof String s ? s : null));
        assertEquals("no matching message arrived within PT0.05S; queued: nothing", e.getMessage());
    }

    @Test
    void awaitExitIsAMonitorNotAPoll() {
        Pid p = spawn(() -> receive());
        // Stopped only once awaitExit's monitor is in place, so the Down carries its real reason.
        spawnLink(() -> {
            probe.awaitCondition("the monitor on " + p, () -> !info(p).orElseThrow().monitoredBy().isEmpty());
            send(p, "stop");
        });
        assertEquals(ExitReason.NORMAL, probe.awaitExit(p));
        assertEquals(ExitReason.NOPROC, probe.awaitExit(p), "a process already gone");
    }

    @Test
    void exitReasonOfRunsTheBodyApartAndReturnsHowItEnded() {
        assertEquals(ExitReason.NORMAL, probe.exitReasonOf(() -> {}));
        assertEquals(ExitReason.of("bad"), probe.exitReasonOf(() -> exit("bad")));
        var crash = assertInstanceOf(ExitReason.Crash.class, probe.exitReasonOf(() -> {
            throw new IllegalStateException("apart");
        }));
        assertEquals("apart", crash.error().getMessage());
        assertFalse(info(self()).orElseThrow().trapExit(), "the caller was not linked, so it needed no trap");
    }

    @Test
    void awaitConditionWaitsUntilItHolds() {
        var hits = new AtomicInteger();
        spawnLink(() -> {
            for (int i = 0; i < 3; i++) {
                sleep(Duration.ofMillis(5));
                hits.incrementAndGet();
            }
            receive();
        });
        probe.awaitCondition("three hits", () -> hits.get() == 3);
        assertEquals(3, hits.get());
    }

    @Test
    void awaitConditionFailsSayingWhatItAwaited() {
        var e = assertThrows(AssertionFailedError.class, () -> quick.awaitCondition("a miracle", () -> false));
        assertEquals("still waiting, after PT0.05S, for a miracle", e.getMessage());
    }
}

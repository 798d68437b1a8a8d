package io.loomix.internal;

import io.loomix.Process;
import io.loomix.Ref;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The receive marker set by makeRef is cleared when a receive ends, whether or not it used the
 * marker: left set, it kept every node queued after it reachable (issue 13: 24 bytes per receive,
 * for good, after one makeRef).
 */
class ReceiveMarkerTest {
    @Test
    void everyReceiveThatEndsClearsTheMarker() {
        Process.run(() -> {
            Proc me = Kernel.get().current();
            Process.makeRef();
            assertTrue(me.hasMarker());
            Process.send(Process.self(), "plain");
            Process.receive();
            assertFalse(me.hasMarker(), "a plain receive after makeRef leaves no marker behind");

            Ref ref = Process.makeRef();
            Process.send(Process.self(), ref);
            Process.receive(ref, m -> m == ref ? m : null);
            assertFalse(me.hasMarker(), "the receive that used the marker cleared it");

            Process.makeRef();
            Process.receive(Duration.ZERO, m -> m, () -> null);
            assertFalse(me.hasMarker(), "a receive that timed out cleared it too");

            Process.makeRef();
            assertThrows(IllegalStateException.class, () -> {
                Process.send(Process.self(), "boom");
                Process.receive(m -> {
                    throw new IllegalStateException("clause failed");
                });
            });
            assertFalse(me.hasMarker(), "and one whose clause threw");
        });
    }

    @Test
    void aReceiveForARefMadeBeforeAnotherReceiveStillFindsItsReply() {
        Process.run(() -> {
            Ref ref = Process.makeRef();
            Process.send(Process.self(), ref);
            Process.send(Process.self(), "other");
            Process.receive(m -> "other".equals(m) ? m : null);
            assertSame(ref, Process.receive(ref, m -> m == ref ? m : null));
        });
    }
}

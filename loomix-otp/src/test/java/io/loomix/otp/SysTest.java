package io.loomix.otp;

import io.loomix.Pid;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ProcessExtension.class)
class SysTest {
    record Inc() {}

    record Get() {}

    static final class Counter extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(1);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return reply(n, n);
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            return noReply(n + 1);
        }

        @Override
        protected Integer codeChange(Object oldVsn, Integer n, Object extra) {
            return "v1".equals(oldVsn) ? n * (Integer) extra : n;
        }
    }

    @Test
    void getAndReplaceState() {
        Pid c = GenServer.startLink(new Counter());
        assertEquals(1, (int) Sys.getState(c));
        assertEquals(10, (int) Sys.<Integer>replaceState(c, n -> n * 10));
        assertEquals(10, (int) GenServer.call(c, new Get()));
        assertThrows(IllegalStateException.class, () -> Sys.<Integer>replaceState(c, n -> n / 0));
        assertEquals(10, (int) Sys.getState(c));
    }

    @Test
    void aSuspendedServerKeepsItsMessagesUntilResumed() {
        Pid c = GenServer.startLink(new Counter());
        Sys.suspend(c);
        GenServer.cast(c, new Inc());
        GenServer.cast(c, new Inc());
        assertEquals(1, (int) Sys.getState(c), "casts wait while suspended");
        assertEquals(2, info(c).orElseThrow().messageQueueLen());
        Sys.resume(c);
        assertEquals(3, (int) GenServer.call(c, new Get()));
    }

    @Test
    void codeChangeNeedsASuspendedServer() {
        Pid c = GenServer.startLink(new Counter());
        assertThrows(IllegalStateException.class, () -> Sys.codeChange(c, "v1", 5));
        Sys.suspend(c);
        Sys.codeChange(c, "v1", 5);
        Sys.resume(c);
        assertEquals(5, (int) GenServer.call(c, new Get()));
    }

    /** The "next version" of Counter: counts by tens, and migrates the state it is handed. */
    static class TenCounter extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(0);
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return reply(n, n);
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            return noReply(n + 10);
        }

        @Override
        protected Integer codeChange(Object oldVsn, Integer n, Object extra) {
            return n + 100;
        }
    }

    @Test
    void codeChangeToNewCodeRunsItsCodeChangeAndThenItsCallbacks() {
        Pid c = GenServer.startLink(new Counter());
        assertEquals(Counter.class, Sys.module(c));
        GenServer.cast(c, new Inc());
        Sys.suspend(c);
        Sys.codeChange(c, new TenCounter(), 1, java.util.List.of());
        Sys.resume(c);
        assertEquals(TenCounter.class, Sys.module(c));
        assertEquals(102, (int) GenServer.call(c, new Get()), "state kept, migrated by the new code");
        GenServer.cast(c, new Inc());
        assertEquals(112, (int) GenServer.call(c, new Get()), "casts handled by the new code");
    }

    @Test
    void aFailedCodeChangeKeepsTheOldCodeAndState() {
        Pid c = GenServer.startLink(new Counter());
        Sys.suspend(c);
        GenServer<Integer> broken = new TenCounter() {
            @Override
            protected Integer codeChange(Object oldVsn, Integer n, Object extra) {
                throw new IllegalStateException("cannot migrate");
            }
        };
        assertThrows(IllegalStateException.class, () -> Sys.codeChange(c, broken, 1, java.util.List.of()));
        Sys.resume(c);
        assertEquals(Counter.class, Sys.module(c));
        assertEquals(1, (int) GenServer.call(c, new Get()));
    }
}

package io.loomix.otp;

import io.loomix.Pid;
import org.junit.jupiter.api.Test;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

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
        run(() -> {
            Pid c = GenServer.start(new Counter());
            assertEquals(1, (int) Sys.getState(c));
            assertEquals(10, (int) Sys.<Integer>replaceState(c, n -> n * 10));
            assertEquals(10, (int) GenServer.call(c, new Get()));
            assertThrows(IllegalStateException.class, () -> Sys.<Integer>replaceState(c, n -> n / 0));
            assertEquals(10, (int) Sys.getState(c));
        });
    }

    @Test
    void aSuspendedServerKeepsItsMessagesUntilResumed() {
        run(() -> {
            Pid c = GenServer.start(new Counter());
            Sys.suspend(c);
            GenServer.cast(c, new Inc());
            GenServer.cast(c, new Inc());
            assertEquals(1, (int) Sys.getState(c), "casts wait while suspended");
            assertEquals(2, info(c).orElseThrow().messageQueueLen());
            Sys.resume(c);
            assertEquals(3, (int) GenServer.call(c, new Get()));
        });
    }

    @Test
    void codeChangeNeedsASuspendedServer() {
        run(() -> {
            Pid c = GenServer.start(new Counter());
            assertThrows(IllegalStateException.class, () -> Sys.codeChange(c, "v1", 5));
            Sys.suspend(c);
            Sys.codeChange(c, "v1", 5);
            Sys.resume(c);
            assertEquals(5, (int) GenServer.call(c, new Get()));
        });
    }
}

package io.loomix.otp;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * gen_server's {@code hibernate} ({@code {ok, State, hibernate}}, {@code {noreply, State, hibernate}},
 * {@code {reply, Reply, State, hibernate}}): the server keeps its state and answers as before;
 * only its thread goes between messages.
 */
class GenServerHibernateTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    record Inc() {}

    record Get() {}

    record Stopped(ExitReason reason, Integer state) {}

    /** A counter that hibernates after init and after every callback. */
    static final class Sleepy extends GenServer<Integer> {
        private final Pid observer;
        private final boolean trap;

        Sleepy(Pid observer, boolean trap) {
            this.observer = observer;
            this.trap = trap;
        }

        @Override
        protected Init<Integer> init() {
            trapExit(trap);
            return ok(0).hibernate();
        }

        @Override
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) {
            return reply(n, n).hibernate();
        }

        @Override
        protected Result<Integer> handleCast(Object request, Integer n) {
            return noReply(n + 1).hibernate();
        }

        @Override
        protected Result<Integer> handleInfo(Object message, Integer n) {
            return noReply(n + 100).hibernate();
        }

        @Override
        protected void terminate(ExitReason reason, Integer n) {
            if (observer != null) {
                send(observer, new Stopped(reason, n));
            }
        }
    }

    /** Waits until {@code pid} is hibernated: its stack is then empty (a waiting one has frames). */
    static void awaitHibernated(Pid pid) {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (!stacktrace(pid).map(List::isEmpty).orElse(false)) {
            assertTrue(System.nanoTime() < end, pid + " did not hibernate within " + LIMIT + ": " + info(pid) + " " + stacktrace(pid));
            sleep(Duration.ofMillis(1));
        }
    }

    @Test
    void aHibernatingServerAnswersCallsCastsInfoAndSystemMessagesWithItsState() {
        run(() -> {
            Pid s = GenServer.start(new Sleepy(null, false));
            awaitHibernated(s);
            assertEquals(0, (int) GenServer.call(s, new Get()));
            for (int i = 0; i < 50; i++) {
                GenServer.cast(s, new Inc());
            }
            send(s, "info");
            assertEquals(150, (int) GenServer.call(s, new Get()));
            awaitHibernated(s);
            assertEquals(150, (int) Sys.getState(s));
            awaitHibernated(s); // a system message leaves it hibernating again
            Sys.replaceState(s, (Integer n) -> n + 1);
            assertEquals(151, (int) GenServer.call(s, new Get()));
            GenServer.stop(s);
        });
    }

    @Test
    void stopRunsTerminateWithTheStateKeptAcrossHibernation() {
        run(() -> {
            Pid s = GenServer.start(new Sleepy(self(), false));
            GenServer.cast(s, new Inc());
            GenServer.call(s, new Get());
            awaitHibernated(s);
            GenServer.stop(s, ExitReason.SHUTDOWN, LIMIT);
            assertEquals(new Stopped(ExitReason.SHUTDOWN, 1), receive(LIMIT, m -> m, () -> "no terminate"));
        });
    }

    @Test
    void aTrappingServerLinkedToItsParentRunsTerminateWhenTheParentExits() {
        run(() -> {
            Pid me = self();
            Monitored parent = spawnMonitor(() -> {
                Pid s = GenServer.startLink(new Sleepy(me, true));
                send(me, s);
                receive();
                throw exit("parent_gone");
            });
            Pid s = receive(LIMIT, m -> m instanceof Pid p ? p : null, () -> null);
            awaitHibernated(s);
            send(parent.pid(), "go");
            assertEquals(new Stopped(new ExitReason.Term("parent_gone"), 0), receive(LIMIT,
                    m -> m instanceof Stopped st ? st : null, () -> null));
        });
    }

    @Test
    void killedWhileHibernatedItsMonitorFires() {
        run(() -> {
            Monitored m = GenServer.startMonitor(new Sleepy(self(), false));
            awaitHibernated(m.pid());
            exit(m.pid(), ExitReason.KILL);
            Ref ref = m.ref();
            assertEquals(ExitReason.KILLED, receive(LIMIT, x -> x instanceof io.loomix.Down d && d.ref().equals(ref)
                    ? d.reason() : null, () -> null));
            assertNull(receive(Duration.ZERO, x -> x instanceof Stopped ? x : null, () -> null), "killed: no terminate");
        });
    }

    /** Many hibernating servers called and cast to by many clients at once: no request lost, no count wrong. */
    @Test
    void stressManyHibernatingServersUnderConcurrentCalls() {
        int servers = 300;
        int clients = 6;
        int casts = 20;
        for (int round = 0; round < 3; round++) {
            run(() -> {
                List<Pid> ss = new ArrayList<>();
                for (int i = 0; i < servers; i++) {
                    ss.add(GenServer.start(new Sleepy(null, false)));
                }
                Pid me = self();
                for (int c = 0; c < clients; c++) {
                    spawn(() -> {
                        for (int k = 0; k < casts; k++) {
                            for (Pid s : ss) {
                                GenServer.cast(s, new Inc());
                                if (k % 5 == 0) {
                                    GenServer.call(s, new Get(), LIMIT);
                                }
                            }
                        }
                        send(me, "done");
                    });
                }
                for (int c = 0; c < clients; c++) {
                    receive(LIMIT, m -> "done".equals(m) ? m : null, () -> fail("a client did not finish"));
                }
                for (Pid s : ss) {
                    assertEquals(clients * casts, (int) GenServer.call(s, new Get(), LIMIT), "count of " + s);
                    exit(s, ExitReason.KILL);
                }
            });
        }
    }
}

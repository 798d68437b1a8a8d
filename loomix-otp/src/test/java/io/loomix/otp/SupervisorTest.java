package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ProcessExtension.class)
class SupervisorTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    /** What the workers tell the test, in the order they do it. */
    record Event(String what, String id) {}

    enum OnShutdown { DIE, TRAP_AND_CLEAN_UP, TRAP_AND_HANG }

    /** A worker that reports its start and stop to the test process. */
    static final class Worker extends GenServer<String> {
        private final String id;
        private final Pid recorder;
        private final OnShutdown onShutdown;

        Worker(String id, Pid recorder, OnShutdown onShutdown) {
            this.id = id;
            this.recorder = recorder;
            this.onShutdown = onShutdown;
        }

        @Override
        protected Init<String> init() {
            if (onShutdown != OnShutdown.DIE) {
                trapExit(true);
            }
            send(recorder, new Event("start", id));
            return ok(id);
        }

        @Override
        protected CallResult<String> handleCall(Object request, From from, String state) {
            return reply(self(), state);
        }

        @Override
        protected void terminate(ExitReason reason, String state) {
            if (onShutdown == OnShutdown.TRAP_AND_HANG) {
                receive(); // cleaning up takes longer than the supervisor allows
            }
            send(recorder, new Event("stop", id));
        }
    }

    private static ChildSpec worker(String id, OnShutdown how) {
        Pid recorder = self();
        return ChildSpec.worker(id, () -> GenServer.startLink(new Worker(id, recorder, how)));
    }

    private static ChildSpec worker(String id) {
        return worker(id, OnShutdown.TRAP_AND_CLEAN_UP);
    }

    private static List<Event> events(int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // A supervisor that gave up sends its Exit instead: fail with it rather than wait forever.
            Object next = receive(m -> m instanceof Event || m instanceof Exit ? m : null);
            if (next instanceof Exit e) {
                fail("expected " + (n - i) + " more events, got " + out + " and then " + e);
            }
            out.add((Event) next);
        }
        return out;
    }

    private static Map<Object, Pid> pids(Pid sup) {
        java.util.LinkedHashMap<Object, Pid> out = new java.util.LinkedHashMap<>();
        for (Supervisor.ChildInfo c : Supervisor.whichChildren(sup)) {
            out.put(c.id(), c.pid().orElse(null));
        }
        return out;
    }

    private static List<Event> starts(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new Event("start", id)).toList();
    }

    private static List<Event> stops(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new Event("stop", id)).toList();
    }

    private static Pid kill(Pid sup, String id) {
        Pid pid = pids(sup).get(id);
        exit(pid, ExitReason.KILL);
        return pid;
    }

    @Test
    void childrenStartInOrderAndStopInReverseOrder() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(worker("a"), worker("b"), worker("c")), Strategy.ONE_FOR_ONE);
        assertEquals(starts("a", "b", "c"), events(3));
        assertEquals(List.of("c", "b", "a"), List.copyOf(pids(sup).keySet()));
        Ref m = monitor(sup);
        exit(sup, ExitReason.SHUTDOWN);
        assertEquals(stops("c", "b", "a"), events(3));
        assertEquals(ExitReason.SHUTDOWN, probe.expectDown(m).reason());
    }

    @Test
    void oneForOneRestartsOnlyTheDeadChild() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(worker("a"), worker("b"), worker("c")), Strategy.ONE_FOR_ONE);
        events(3);
        Map<Object, Pid> before = pids(sup);
        Pid old = kill(sup, "b");
        assertEquals(starts("b"), events(1));
        Map<Object, Pid> after = pids(sup);
        assertNotEquals(old, after.get("b"));
        assertEquals(before.get("a"), after.get("a"));
        assertEquals(before.get("c"), after.get("c"));
        assertEquals(after.get("b"), GenServer.call(after.get("b"), "who"));
    }

    @Test
    void oneForAllRestartsEveryChild() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(worker("a"), worker("b"), worker("c")), Strategy.ONE_FOR_ALL);
        events(3);
        Map<Object, Pid> before = pids(sup);
        kill(sup, "b");
        List<Event> expected = new ArrayList<>(stops("c", "a"));
        expected.addAll(starts("a", "b", "c"));
        assertEquals(expected, events(5));
        Map<Object, Pid> after = pids(sup);
        for (String id : List.of("a", "b", "c")) {
            assertNotEquals(before.get(id), after.get(id), id);
        }
    }

    @Test
    void restForOneRestartsTheChildAndThoseStartedAfterIt() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(worker("a"), worker("b"), worker("c"), worker("d")),
                Strategy.REST_FOR_ONE);
        events(4);
        Map<Object, Pid> before = pids(sup);
        kill(sup, "b");
        List<Event> expected = new ArrayList<>(stops("d", "c"));
        expected.addAll(starts("b", "c", "d"));
        assertEquals(expected, events(5));
        assertEquals(before.get("a"), pids(sup).get("a"));
    }

    @Test
    void restartTypesDecideWhoComesBack() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(
                worker("permanent"),
                worker("transient").withRestart(ChildSpec.Restart.TRANSIENT),
                worker("temporary").withRestart(ChildSpec.Restart.TEMPORARY)), Strategy.ONE_FOR_ONE);
        events(3);
        Map<Object, Pid> p = pids(sup);
        GenServer.stop(p.get("transient"));           // normal: stays down
        assertEquals(stops("transient"), events(1));
        GenServer.stop(p.get("permanent"));           // normal, but permanent: restarted
        assertEquals(List.of(new Event("stop", "permanent"), new Event("start", "permanent")), events(2));
        Ref temporary = monitor(p.get("temporary"));
        exit(p.get("temporary"), ExitReason.KILL);    // never restarted, and forgotten
        // A process's links hear of its exit before its monitors do, so the supervisor has
        // the Exit in its mailbox, ahead of the next call, once the Down is here.
        probe.expectDown(temporary);
        Supervisor.ChildCount count = Supervisor.countChildren(sup);
        assertEquals(new Supervisor.ChildCount(2, 1, 0, 2), count);
        assertTrue(pids(sup).get("transient") == null);

        Pid t = Supervisor.restartChild(sup, "transient");
        assertEquals(starts("transient"), events(1));
        exit(t, ExitReason.KILL);                    // abnormal: restarted
        assertEquals(starts("transient"), events(1));
    }

    @Test
    void beyondTheRestartIntensityTheSupervisorStopsItsChildrenAndExitsWithShutdown() {
        trapExit(true);
        Pid sup = Supervisor.startLink(SupervisorSpec.of(Strategy.ONE_FOR_ONE, List.of(worker("a"), worker("b")))
                .withIntensity(2, Duration.ofSeconds(60)));
        events(2);
        for (int i = 0; i < 2; i++) {
            kill(sup, "a");
            assertEquals(starts("a"), events(1));
        }
        kill(sup, "a");
        assertEquals(stops("b"), events(1));
        Exit e = receive(m -> m instanceof Exit x && x.from().equals(sup) ? x : null);
        assertEquals(ExitReason.SHUTDOWN, e.reason());
    }

    @Test
    void shutdownPolicies() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(
                worker("clean"),
                worker("stubborn", OnShutdown.TRAP_AND_HANG).withShutdown(ChildSpec.Shutdown.timeout(Duration.ofMillis(30))),
                worker("brutal", OnShutdown.TRAP_AND_CLEAN_UP).withShutdown(ChildSpec.Shutdown.BRUTAL_KILL),
                worker("patient").withShutdown(ChildSpec.Shutdown.INFINITY)), Strategy.ONE_FOR_ONE);
        events(4);
        Map<Object, Pid> p = pids(sup);
        Map<String, Ref> monitors = new java.util.HashMap<>();
        p.forEach((id, pid) -> monitors.put((String) id, monitor(pid)));

        assertTrue(Supervisor.terminateChild(sup, "clean"));
        assertEquals(stops("clean"), events(1));
        assertEquals(ExitReason.SHUTDOWN, probe.expectDown(monitors.get("clean")).reason());

        assertTrue(Supervisor.terminateChild(sup, "stubborn")); // hangs in terminate: killed after 30 ms
        assertEquals(ExitReason.KILLED, probe.expectDown(monitors.get("stubborn")).reason());

        assertTrue(Supervisor.terminateChild(sup, "brutal"));   // killed: no terminate runs
        assertEquals(ExitReason.KILLED, probe.expectDown(monitors.get("brutal")).reason());

        assertTrue(Supervisor.terminateChild(sup, "patient"));
        assertEquals(stops("patient"), events(1));
        assertEquals(ExitReason.SHUTDOWN, probe.expectDown(monitors.get("patient")).reason());

        assertEquals(new Supervisor.ChildCount(4, 0, 0, 4), Supervisor.countChildren(sup));
        assertFalse(Supervisor.terminateChild(sup, "nobody"));
        assertEquals(List.of(), flush().stream().filter(m -> m instanceof Event).toList());
    }

    @Test
    void childManagement() {
        trapExit(true);
        Pid sup = Supervisor.startLink(List.of(worker("a")), Strategy.ONE_FOR_ONE);
        events(1);
        Pid b = Supervisor.startChild(sup, worker("b"));
        assertEquals(starts("b"), events(1));
        assertEquals(List.of("b", "a"), List.copyOf(pids(sup).keySet()));
        StartException dup = assertThrows(StartException.class, () -> Supervisor.startChild(sup, worker("b")));
        assertEquals(ExitReason.of(new StartException.AlreadyStarted(b)), dup.reason());

        assertEquals(ExitReason.of(Atom.of("running")), assertThrows(StartException.class, () -> Supervisor.deleteChild(sup, "b")).reason());
        Supervisor.terminateChild(sup, "b");
        events(1);
        StartException present = assertThrows(StartException.class, () -> Supervisor.startChild(sup, worker("b")));
        assertEquals(ExitReason.of(Atom.of("already_present")), present.reason());
        Pid b2 = Supervisor.restartChild(sup, "b");
        assertNotEquals(b, b2);
        events(1);
        StartException running = assertThrows(StartException.class, () -> Supervisor.restartChild(sup, "b"));
        assertEquals(ExitReason.of(Atom.of("running")), running.reason());
        Supervisor.terminateChild(sup, "b");
        events(1);
        assertTrue(Supervisor.deleteChild(sup, "b"));
        assertFalse(Supervisor.deleteChild(sup, "b"));
        StartException missing = assertThrows(StartException.class, () -> Supervisor.restartChild(sup, "b"));
        assertEquals(ExitReason.of(Atom.of("not_found")), missing.reason());
        assertEquals(new Supervisor.ChildCount(1, 1, 0, 1), Supervisor.countChildren(sup));

        StartException failed = assertThrows(StartException.class, () -> Supervisor.startChild(sup,
                ChildSpec.worker("bad", () -> GenServer.startLink(new GenServerTest.Failing(Init.stop("nope"))))));
        assertEquals(ExitReason.of("nope"), failed.reason());
        assertEquals(1, Supervisor.countChildren(sup).specs());
    }

    @Test
    void aChildThatFailsToStartStopsTheOthersAndFailsTheSupervisor() {
        trapExit(true);
        StartException e = assertThrows(StartException.class, () -> Supervisor.startLink(List.of(worker("a"),
                ChildSpec.worker("bad", () -> GenServer.startLink(new GenServerTest.Failing(Init.stop("nope")))),
                worker("c")), Strategy.ONE_FOR_ONE));
        assertEquals(new ExitReason.Shutdown(new SupervisorServer.FailedToStartChild("bad", ExitReason.of("nope"))),
                e.reason());
        assertEquals(List.of(new Event("start", "a"), new Event("stop", "a")), events(2));
    }

    @Test
    void aRestartThatFailsIsRetriedUntilTheIntensityRunsOut() {
        trapExit(true);
        AtomicInteger starts = new AtomicInteger();
        Pid recorder = self();
        ChildSpec flaky = ChildSpec.worker("flaky", () -> {
            int n = starts.incrementAndGet();
            if (n == 2 || n == 3) { // the first two restarts fail, the third works
                throw new StartException(ExitReason.of(Atom.of("not_yet")));
            }
            return GenServer.startLink(new Worker("flaky", recorder, OnShutdown.DIE));
        });
        Pid sup = Supervisor.startLink(List.of(flaky), Strategy.ONE_FOR_ONE);
        events(1);
        kill(sup, "flaky");
        assertEquals(starts("flaky"), events(1));
        assertEquals(4, starts.get());
        assertTrue(alive(sup));
    }

    @Test
    void nestedSupervisorsRestartTheirSubtree() {
        trapExit(true);
        Pid recorder = self();
        ChildSpec inner = ChildSpec.supervisor("inner", () -> Supervisor.startLink(
                List.of(workerFor(recorder, "x"), workerFor(recorder, "y")), Strategy.ONE_FOR_ONE));
        Pid top = Supervisor.startLink(List.of(worker("a"), inner), Strategy.ONE_FOR_ONE);
        assertEquals(starts("a", "x", "y"), events(3));
        assertEquals(new Supervisor.ChildCount(2, 2, 1, 1), Supervisor.countChildren(top));
        Pid innerPid = pids(top).get("inner");
        exit(innerPid, ExitReason.KILL);             // the inner tree dies; its workers die with it
        assertEquals(starts("x", "y"), events(2).stream().filter(e -> e.what().equals("start")).toList());
        Pid again = pids(top).get("inner");
        assertNotEquals(innerPid, again);
        assertEquals(2, Supervisor.countChildren(again).active());
    }

    private static ChildSpec workerFor(Pid recorder, String id) {
        return ChildSpec.worker(id, () -> GenServer.startLink(new Worker(id, recorder, OnShutdown.DIE)));
    }
}

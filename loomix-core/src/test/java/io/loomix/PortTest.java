package io.loomix;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Ports with real programs; each Erlang rule checked against erl (OTP 25) with open_port({spawn, "cat"}, ...). */
class PortTest {
    private static final Duration GONE = Duration.ofSeconds(10);

    private static PortData data(Port port) {
        return receive(m -> m instanceof PortData d && d.port().equals(port) ? d : null);
    }

    private static PortData line(String text, Port port) {
        return new PortData(port, text.getBytes(), false);
    }

    /** Waits (up to 10 s) for an OS process to be gone; fails if it outlives that. */
    /** Handles taken while the programs still run, so a reused OS pid cannot be mistaken for them. */
    private static List<ProcessHandle> handles(List<Long> pids) {
        return pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).toList();
    }

    private static void assertGone(ProcessHandle h) throws Exception {
        h.onExit().get(GONE.toSeconds(), TimeUnit.SECONDS);
        assertFalse(h.isAlive(), h + " is still running");
    }

    @Test
    void echoThroughCatWithLineFraming() {
        run(() -> {
            Port cat = Port.open("cat", PortOptions.DEFAULT.line(5));
            send(cat, "hello\nab\nlongerline\n");
            // As erl: {eol,<<"hello">>}, {eol,<<"ab">>}, {noeol,<<"longe">>}, {eol,<<"rline">>}
            assertEquals(line("hello", cat), data(cat));
            assertEquals(line("ab", cat), data(cat));
            assertEquals(new PortData(cat, "longe".getBytes(), true), data(cat));
            assertEquals(line("rline", cat), data(cat));
            Port.close(cat);
        });
    }

    @Test
    void exitStatusThenExitSignalAfterTheLastData() {
        run(() -> {
            trapExit(true);
            Port p = Port.open("echo hi; printf tail; exit 3", PortOptions.DEFAULT.line(80).exitStatus());
            assertEquals(line("hi", p), receive());
            assertEquals(new PortData(p, "tail".getBytes(), true), receive());
            assertEquals(new PortExit(p, 3), receive());
            assertEquals(new Exit(p.pid(), ExitReason.NORMAL), receive());
            assertTrue(Port.info(p).isEmpty());
            trapExit(false);
        });
    }

    @Test
    void aProgramThatCannotBeFoundExitsWith127UnderTheShellAndFailsToOpenWithout() {
        run(() -> {
            Port p = Port.open("/nonexistent/program 2>/dev/null", PortOptions.DEFAULT.exitStatus());
            assertEquals(new PortExit(p, 127), receive(m -> m instanceof PortExit e ? e : null));
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> Port.open(List.of("/nonexistent/program"), PortOptions.DEFAULT));
            assertTrue(e.getMessage().startsWith("enoent"), e.getMessage());
        });
    }

    @Test
    void packetFramingBothWays() {
        run(() -> {
            Port cat = Port.open("cat", PortOptions.DEFAULT.packet(2));
            send(cat, "abc");
            send(cat, new byte[0]);
            send(cat, new byte[300]);
            assertEquals("abc", data(cat).text());
            assertEquals(0, data(cat).size());
            assertEquals(300, data(cat).size());
            Port.close(cat);
            Port small = Port.open("cat", PortOptions.DEFAULT.packet(1));
            assertThrows(IllegalArgumentException.class, () -> Port.command(small, new byte[256]));
            Port.close(small);
        });
    }

    @Test
    void aPacketTooLargeToHoldClosesThePortWithEinval() {
        run(() -> {
            trapExit(true);
            Port p = Port.open("printf '\\377\\377\\377\\377'; exec sleep 1000", PortOptions.DEFAULT.packet(4));
            Ref ref = monitor(p);
            assertEquals(ExitReason.of(Atom.of("einval")), Await.down(ref).reason());
            trapExit(false);
        });
    }

    @Test
    void infoNamesCommandOwnerLinksAndCounts() {
        run(() -> {
            Port cat = Port.open("cat", PortOptions.DEFAULT.line(80));
            send(cat, "12345\n");
            data(cat);
            PortInfo info = Port.info(cat).orElseThrow();
            assertEquals("cat", info.name());
            assertEquals(self(), info.connected());
            assertEquals(List.of(self()), info.links());
            assertEquals(6, info.input());
            assertEquals(6, info.output());
            assertTrue(ProcessHandle.of(info.osPid()).isPresent());
            assertTrue(Port.list().contains(cat));
            assertEquals("#Port<0." + cat.id() + ">", cat.toString());
            Port.close(cat);
        });
    }

    @Test
    void closeIsSynchronousKillsTheProgramAndLeavesAClosedPort() throws Exception {
        ProcessHandle program = run(() -> {
            trapExit(true);
            Port cat = Port.open("cat", PortOptions.DEFAULT);
            ProcessHandle h = ProcessHandle.of(Port.info(cat).orElseThrow().osPid()).orElseThrow();
            Port.close(cat);
            assertTrue(Port.info(cat).isEmpty());
            assertFalse(alive(cat.pid()));
            assertFalse(Port.list().contains(cat));
            // As erl: the owner is linked, so it sees the port exit normally.
            assertEquals(new Exit(cat.pid(), ExitReason.NORMAL), Await.exit(cat.pid()));
            assertThrows(IllegalArgumentException.class, () -> Port.close(cat));
            assertThrows(IllegalArgumentException.class, () -> Port.command(cat, "x"));
            send(cat, "x"); // Port ! Msg on a closed port does nothing
            assertTrue(flush().isEmpty());
            trapExit(false);
            return h;
        });
        assertGone(program);
    }

    @Test
    void anyProcessMayClose() {
        run(() -> {
            Port cat = Port.open("cat", PortOptions.DEFAULT);
            Ref ref = monitor(cat);
            Monitored closer = spawnMonitor(() -> Port.close(cat));
            assertEquals(ExitReason.NORMAL, Await.down(closer.ref()).reason());
            assertEquals(new Down(ref, cat, ExitReason.NORMAL), Await.down(ref));
        });
    }

    record Opened(Port port, long osPid) {}

    /** An owner that opens {@code command}, reports the port, then exits as its next message says. */
    private static Monitored owner(String command, PortOptions options) {
        Pid test = self();
        return spawnMonitor(() -> {
            Port p = Port.open(command, options);
            send(test, new Opened(p, Port.info(p).orElseThrow().osPid()));
            Object how = receive(m -> m instanceof ExitReason r ? r : null);
            throw exit(how);
        });
    }

    private static Opened opened() {
        return receive(m -> m instanceof Opened o ? o : null);
    }

    @Test
    void ownerExitClosesThePortWithTheOwnersReasonForLinksAndMonitors() {
        run(() -> {
            trapExit(true);
            for (ExitReason reason : List.of(ExitReason.of(Atom.of("foo")), ExitReason.NORMAL)) {
                Monitored owner = owner("cat", PortOptions.DEFAULT);
                Port port = opened().port();
                link(port);
                Ref ref = monitor(port);
                send(owner.pid(), reason);
                // As erl: {'EXIT', Port, foo} and {'DOWN', Ref, port, Port, foo}; normal likewise.
                assertEquals(reason, Await.exit(port.pid()).reason());
                assertEquals(new Down(ref, port, reason), Await.down(ref));
                Await.down(owner.ref());
            }
            trapExit(false);
        });
    }

    @Test
    void ownerKilledMidStreamLeavesNoOrphanProgram() throws Exception {
        List<ProcessHandle> programs = run(() -> {
            Pid test = self();
            Monitored owner = spawnMonitor(() -> {
                // A pipeline: the shell and both programs must go.
                Port p = Port.open("yes | cat", PortOptions.DEFAULT.line(80));
                for (int i = 0; i < 100; i++) {
                    data(p);
                }
                ProcessHandle sh = ProcessHandle.of(Port.info(p).orElseThrow().osPid()).orElseThrow();
                List<Long> tree = new ArrayList<>(sh.descendants().map(ProcessHandle::pid).toList());
                tree.add(sh.pid());
                send(test, new Snapshot(p, List.copyOf(tree)));
                for (;;) {
                    data(p); // still streaming when the kill comes
                }
            });
            Snapshot s = receive(m -> m instanceof Snapshot x ? x : null);
            List<ProcessHandle> handles = handles(s.tree());
            Ref portDown = monitor(s.port());
            exit(owner.pid(), ExitReason.KILL);
            assertEquals(ExitReason.KILLED, Await.down(owner.ref()).reason());
            assertEquals(ExitReason.KILLED, Await.down(portDown).reason());
            return handles;
        });
        assertTrue(programs.size() >= 3, "expected the shell, yes and cat, got " + programs);
        for (ProcessHandle h : programs) {
            assertGone(h);
        }
    }

    record Snapshot(Port port, List<Long> tree) {}

    @Test
    void aProgramThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        ProcessHandle program = run(() -> {
            Monitored owner = owner("trap '' TERM; exec sleep 1000",
                    PortOptions.DEFAULT.killGrace(Duration.ofMillis(100)));
            ProcessHandle h = ProcessHandle.of(opened().osPid()).orElseThrow();
            send(owner.pid(), ExitReason.NORMAL);
            Await.down(owner.ref());
            return h;
        });
        assertGone(program);
    }

    /** A writer blocked on a program that never reads must not keep the program alive (or the owner). */
    @Test
    void ownerKilledWhileBlockedWritingToAProgramThatDoesNotRead() throws Exception {
        ProcessHandle program = run(() -> {
            Pid test = self();
            Monitored owner = spawnMonitor(() -> {
                Port p = Port.open("exec sleep 1000", PortOptions.DEFAULT.maxPendingWrites(2));
                send(test, new Opened(p, Port.info(p).orElseThrow().osPid()));
                byte[] chunk = new byte[64 * 1024];
                for (;;) {
                    send(p, chunk);
                }
            });
            Opened o = opened();
            ProcessHandle h = ProcessHandle.of(o.osPid()).orElseThrow();
            try {
                // Wait (up to 10 s) until the pipe is full and writes queue up behind it: the queue
                // full at two looks 20 ms apart (it is full for a moment each time the writer takes
                // a chunk while the pipe still has room).
                boolean full = false;
                for (int i = 0; i < 500 && !full; i++) {
                    boolean before = queued(o.port()) == 2;
                    receive(Duration.ofMillis(20), m -> null, () -> null);
                    full = before && queued(o.port()) == 2;
                }
                assertTrue(full, "writes did not queue up behind the program's full pipe in 10 s: " + queued(o.port()));
            } finally {
                // Also when the check fails: the owner's loop never ends, and its program would
                // outlive the test JVM holding its output open (surefire then waits for it).
                exit(owner.pid(), ExitReason.KILL);
            }
            assertEquals(ExitReason.KILLED, Await.down(owner.ref()).reason());
            return h;
        });
        assertGone(program);
    }

    @Test
    void floodingProgramIsHeldToTheOwnersPace() {
        run(() -> {
            int bound = 50;
            Port yes = Port.open("yes", PortOptions.DEFAULT.line(80).maxQueueLen(bound));
            long maxSeen = 0;
            for (int i = 0; i < 20_000; i++) {
                assertEquals(line("y", yes), receive());
                maxSeen = Math.max(maxSeen, info(self()).orElseThrow().messageQueueLen());
            }
            // Stop reading for a while: without backpressure `yes` would queue millions of lines.
            receive(Duration.ofMillis(300), m -> null, () -> null);
            long queued = info(self()).orElseThrow().messageQueueLen();
            long read = Port.info(yes).orElseThrow().input();
            assertTrue(maxSeen <= bound, "mailbox reached " + maxSeen);
            assertTrue(queued <= bound, "mailbox holds " + queued + " while the owner does not read");
            // What the port read and did not deliver fits in one read buffer (64 KiB).
            long delivered = (20_000L + queued) * 2;
            assertTrue(read - delivered <= 64 * 1024, "read " + read + " bytes, delivered " + delivered);
            Port.close(yes);
        });
    }

    @Test
    void exitSignalsFollowErlangsPortRules() {
        run(() -> {
            trapExit(true);
            Port p = Port.open("cat", PortOptions.DEFAULT);
            Pid other = spawn(() -> {
                Port target = (Port) receive();
                exit(target, ExitReason.NORMAL);
                send(target.pid(), "ignored too"); // a port process ignores what it cannot use
                exit(target, Atom.of("boom"));
            });
            Ref ref = monitor(p);
            send(other, p);
            // As erl: normal from a process other than the owner is ignored; boom closes it.
            assertEquals(new Down(ref, p, ExitReason.of(Atom.of("boom"))), Await.down(ref));
            assertEquals(ExitReason.of(Atom.of("boom")), Await.exit(p.pid()).reason());

            Port q = Port.open("cat", PortOptions.DEFAULT);
            Ref qref = monitor(q);
            exit(q, ExitReason.NORMAL); // from the owner: closes it (erl: port_info is undefined after)
            assertEquals(ExitReason.NORMAL, Await.down(qref).reason());

            Port k = Port.open("cat", PortOptions.DEFAULT);
            Ref kref = monitor(k);
            exit(k, ExitReason.KILL);
            assertEquals(ExitReason.KILLED, Await.down(kref).reason());
            trapExit(false);
        });
    }

    /**
     * The owner's exit signals reach a port from the moment open returns: it traps exits before.
     * (This hung when the port process set trap_exit itself, after it started running.)
     */
    @Test
    void stressExitFromTheOwnerRightAfterOpen() {
        run(() -> {
            for (int i = 0; i < 100; i++) {
                Port p = Port.open("cat", PortOptions.DEFAULT);
                Ref ref = monitor(p);
                exit(p, ExitReason.NORMAL);
                assertEquals(new Down(ref, p, ExitReason.NORMAL), receive(Duration.ofSeconds(10),
                        m -> m instanceof Down d && d.ref().equals(ref) ? d : null, () -> null), "round " + i);
            }
        });
    }

    @Test
    void connectHandsTheOutputToTheNewOwnerWhichThenOwnsTheLifetime() {
        run(() -> {
            trapExit(true);
            Pid test = self();
            Port cat = Port.open("cat", PortOptions.DEFAULT);
            Ref ref = monitor(cat);
            Pid next = spawn(() -> {
                PortData d = receive(m -> m instanceof PortData x ? x : null);
                send(test, d.text());
                // returns normally: as erl, the port closes with it
            });
            Port.connect(cat, next);
            assertEquals(next, Port.info(cat).orElseThrow().connected());
            send(cat, "x");
            assertEquals("x", receive(m -> m instanceof String s ? s : null));
            assertEquals(ExitReason.NORMAL, Await.down(ref).reason());
            assertThrows(IllegalArgumentException.class, () -> Port.connect(cat, test));
            trapExit(false);
        });
    }

    @Test
    void aClosedPortIsNoproc() {
        run(() -> {
            Port cat = Port.open("cat", PortOptions.DEFAULT);
            Port.close(cat);
            Ref ref = monitor(cat);
            assertEquals(new Down(ref, cat, ExitReason.NOPROC), Await.down(ref));
            assertThrows(NoProcException.class, () -> link(cat));
        });
    }

    @Test
    void openOutsideAProcessSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Port.open("cat", PortOptions.DEFAULT));
        assertTrue(e.getMessage().contains("Process.run"), e.getMessage());
    }

    /** Many owners on both carriers, each killed mid-stream: every program must end. */
    @RepeatedTest(3)
    void stressOwnersKilledWhileStreaming() throws Exception {
        List<ProcessHandle> all = run(() -> {
            List<Long> programs = new ArrayList<>();
            List<Monitored> owners = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Pid test = self();
                owners.add(spawnMonitor(() -> {
                    Port p = Port.open("yes", PortOptions.DEFAULT.line(16).maxQueueLen(8));
                    send(test, Port.info(p).orElseThrow().osPid());
                    for (;;) {
                        data(p);
                    }
                }));
            }
            for (int i = 0; i < owners.size(); i++) {
                programs.add(receive(m -> m instanceof Long pid ? pid : null));
            }
            List<ProcessHandle> handles = handles(programs);
            for (Monitored o : owners) {
                exit(o.pid(), ExitReason.KILL);
            }
            for (Monitored o : owners) {
                assertEquals(ExitReason.KILLED, Await.down(o.ref()).reason());
            }
            return handles;
        });
        assertEquals(20, all.size());
        for (ProcessHandle h : all) {
            assertGone(h);
        }
    }

    private static int queued(Port port) {
        return Port.info(port).map(PortInfo::queueSize).orElse(-1);
    }
}

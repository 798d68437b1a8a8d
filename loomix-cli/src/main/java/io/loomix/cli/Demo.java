package io.loomix.cli;

import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.ProcessInfo;
import io.loomix.SpawnOptions;
import io.loomix.YieldPoint;

import java.io.PrintStream;
import java.time.Duration;

import static io.loomix.Process.*;

/**
 * The talk's first slides, live: processes, the mailbox with selective receive, exits, links and
 * monitors, names, and a lot of processes at once. Each step prints what happened.
 */
public final class Demo {
    record Job(int priority, String what) {}

    record Ping(Pid from) {}

    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // One line per crash report, as the Erlang shell prints them; a set property wins.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "=ERROR REPORT==== %5$s%n");
        }
        int many = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        new Demo(System.out).runAll(many);
    }

    void runAll(int many) {
        run(() -> {
            out.println("== Loomix demo: Erlang's processes on the JVM ==");
            processes();
            selectiveReceive();
            linksAndTrapExit();
            monitors();
            names();
            memoryLimits();
            lots(many);
            out.println("== done ==");
        });
    }

    private void processes() {
        out.println("\n-- 1. Processes: spawn, send, receive");
        Pid shell = self();
        Pid echo = spawn(() -> {
            Object msg = receive();
            if (msg instanceof Ping(Pid from)) {
                send(from, "pong from " + self());
            }
        });
        out.println("spawned " + echo + " from " + shell);
        send(echo, new Ping(shell));
        out.println("received: " + receive());
    }

    private void selectiveReceive() {
        out.println("\n-- 2. Mailbox: selective receive by pattern matching");
        Pid me = self();
        send(me, new Job(1, "tidy up"));
        send(me, new Job(9, "page the on-call"));
        send(me, "a chat message");
        send(me, new Job(5, "write the report"));
        out.println("mailbox holds " + info(me).orElseThrow().messageQueueLen() + " messages");
        String urgent = receive(m -> switch (m) {
            case Job(int p, String what) when p > 8 -> what;
            default -> null;
        });
        out.println("urgent job first:  " + urgent);
        while (true) {
            String next = receive(Duration.ZERO, m -> switch (m) {
                case Job(int p, String what) -> "job " + what + " (priority " + p + ")";
                default -> null;
            }, () -> null);
            if (next == null) {
                break;
            }
            out.println("then, in order:    " + next);
        }
        out.println("left in the mailbox: " + flush());
        out.println("receive after 50 ms: " + receive(50, m -> m, () -> "timeout"));
    }

    private void linksAndTrapExit() {
        out.println("\n-- 3. Exits and links: a crash spreads along links unless trapped");
        trapExit(true);
        Pid worker = spawnLink(() -> {
            throw new IllegalStateException("disk full");
        });
        Exit exit = receive(m -> m instanceof Exit e && e.from().equals(worker) ? e : null);
        out.println("trapped: Exit(" + exit.from() + ", " + describe(exit.reason()) + ")");
        trapExit(false);

        Monitored bystander = spawnMonitor(() -> {
            spawnLink(() -> {
                throw exit("bad input");
            });
            receive(); // the link kills this process before anything arrives
        });
        Down down = awaitDown(bystander);
        out.println("a linked process that does not trap exits died too: " + describe(down.reason()));
    }

    private void monitors() {
        out.println("\n-- 4. Monitors: watch a process without dying with it");
        Monitored m = spawnMonitor(() -> receive());
        exit(m.pid(), ExitReason.KILL);
        Down down = awaitDown(m);
        out.println("Down(" + down.ref() + ", " + down.object() + ", " + down.reason() + ")");
        Monitored gone = m;
        out.println("monitoring it again gives: " + describe(awaitDown(new Monitored(gone.pid(), monitor(gone.pid()))).reason()));
    }

    private void names() {
        out.println("\n-- 5. Names: send to a registered name");
        Pid counter = spawn(() -> {
            int n = 0;
            while (true) {
                Object msg = receive();
                if (msg instanceof Ping(Pid from)) {
                    send(from, n);
                } else {
                    n++;
                }
            }
        });
        register("counter", counter);
        for (int i = 0; i < 3; i++) {
            send("counter", "increment");
        }
        send("counter", new Ping(self()));
        out.println("whereis(counter) = " + whereis("counter").orElseThrow() + ", count = " + receive());
        ProcessInfo info = info(counter).orElseThrow();
        out.println("info: status=" + info.status() + " registered=" + info.registeredName()
                + " reductions=" + info.reductions());
        exit(counter, ExitReason.KILL);
    }

    private void memoryLimits() {
        out.println("\n-- 6. Memory limits per process: the offender dies, alone");
        Pid me = self();
        // A server that allocates a little per message lives on; a runaway one is killed.
        Pid server = spawn(SpawnOptions.DEFAULT.withMaxHeapBytes(8 << 20), () -> {
            for (;;) {
                if (!(receive() instanceof Ping(Pid from))) {
                    return;
                }
                send(from, new int[256 * 1024].length); // 1 MB per request, 16 MB in all
            }
        });
        for (int i = 0; i < 16; i++) {
            send(server, new Ping(me));
            receive();
        }
        ProcessInfo served = info(server).orElseThrow();
        out.printf("a server with an 8 MB limit handled 16 requests of 1 MB each: allocated %d MB in all,"
                + " %d KB since its last receive%n", served.allocatedBytes() >> 20, served.memory() >> 10);
        Monitored runaway = spawnMonitor(SpawnOptions.DEFAULT.withMaxHeapBytes(8 << 20), () -> {
            java.util.List<int[]> hoard = new java.util.ArrayList<>();
            for (;;) {
                hoard.add(new int[64 * 1024]); // grows without ever receiving
                YieldPoint.poll();
            }
        });
        out.println("a process hoarding memory: " + awaitDown(runaway).reason());
        out.println("the server is still alive: " + alive(server));
        send(server, "stop");
    }

    private void lots(int n) {
        out.println("\n-- 7. Cheap processes: " + String.format("%,d", n) + " at once");
        Pid me = self();
        long start = System.nanoTime();
        Pid[] pids = new Pid[n];
        for (int i = 0; i < n; i++) {
            pids[i] = spawn(() -> {
                Object msg = receive();
                send(me, msg);
            });
        }
        long spawned = System.nanoTime();
        out.printf("spawned %,d processes in %d ms; %,d alive%n", n, (spawned - start) / 1_000_000, count());
        for (int i = 0; i < n; i++) {
            send(pids[i], i);
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (Integer) receive();
        }
        out.printf("each got one message and sent it back (sum %,d) in %d ms; %,d alive now%n",
                sum, (System.nanoTime() - spawned) / 1_000_000, count());
    }

    private static Down awaitDown(Monitored m) {
        return receive(msg -> msg instanceof Down d && d.ref().equals(m.ref()) ? d : null);
    }

    private static String describe(ExitReason reason) {
        return reason instanceof ExitReason.Crash(Throwable t) ? "crash " + t : reason.toString();
    }
}

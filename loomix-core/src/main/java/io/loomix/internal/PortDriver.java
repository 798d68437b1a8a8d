package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.NoProcException;
import io.loomix.Pid;
import io.loomix.Port;
import io.loomix.PortData;
import io.loomix.PortExit;
import io.loomix.PortInfo;
import io.loomix.PortOptions;
import io.loomix.ProcessInfo;
import io.loomix.Ref;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime side of {@link Port}: one external program, the Loomix process that stands for it,
 * and the two threads that move its bytes.
 *
 * <p>The port process is linked to the owner at spawn and traps exits from before {@code open}
 * returns, so the owner's exit
 * reaches it as a message whatever the reason (a port closes when its owner exits, even
 * normally), and other links' signals follow Erlang's rules for ports: {@code normal} from anyone
 * but the owner is ignored, anything else closes the port with that reason. However the port
 * process ends, its {@code finally} kills the program, so no program outlives its port.
 *
 * <p>The pipes are read and written by platform threads, not by the port process: a blocking
 * read on a Loomix virtual thread would hold its carrier, and virtual threads started from a
 * process inherit Loomix's scheduler. The reader sends {@link PortData} to the owner directly,
 * waiting while the owner has {@link PortOptions#maxQueueLen()} messages or more: then the pipe
 * fills and the program blocks, which is the backpressure. Data from one port thus arrives in
 * order, followed by {@link PortExit}, followed by the port's exit signal.
 */
public final class PortDriver {
    private static final Kernel K = Kernel.get();
    private static final AtomicLong IDS = new AtomicLong();
    private static final ConcurrentHashMap<Long, PortDriver> OPEN = new ConcurrentHashMap<>();
    private static final long MAX_BACKOFF_NANOS = 1_000_000;

    private record Start() {}

    private record Close() {}

    private record Eof() {}

    /** {@code from} waits for {@link Connected} with {@code ref} (null: nobody waits). */
    private record Connect(Pid owner, Pid from, Ref ref) {}

    /** The port has linked its new owner: port_connect/2 returns only then. */
    private record Connected(Ref ref) {}

    private final long id = IDS.incrementAndGet();
    private final String name;
    private final java.lang.Process program;
    private final PortOptions options;
    private final LinkedBlockingQueue<byte[]> pending;
    /** Held while a message is handed to the owner, so that once close returns none follows. */
    private final Object delivery = new Object();
    private final AtomicLong input = new AtomicLong();
    private final AtomicLong output = new AtomicLong();
    private volatile Pid owner;
    private volatile boolean closed;
    private volatile boolean writerDone;
    /** Written before Start is sent; read only by the port process and threads it starts after Start. */
    private Port port;
    private Thread reader;
    private Thread writer;

    private PortDriver(String name, java.lang.Process program, PortOptions options, Pid owner) {
        this.name = name;
        this.program = program;
        this.options = options;
        this.owner = owner;
        this.pending = new LinkedBlockingQueue<>(options.maxPendingWrites());
    }

    // ---- the API (any process) ----

    public static Port open(List<String> argv, String name, PortOptions options) {
        Objects.requireNonNull(options, "Port.open: options must not be null (use PortOptions.DEFAULT)");
        Pid owner = K.selfOrNull();
        if (owner == null) {
            throw new IllegalStateException("Port.open must be called from inside a Loomix process, which becomes"
                    + " the port's owner, but " + Thread.currentThread() + " is not one: wrap the code in Process.run(...)");
        }
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (options.directory() != null) {
            builder.directory(options.directory().toFile());
        }
        builder.environment().putAll(options.env());
        if (options.mergeStderr()) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        java.lang.Process program;
        try {
            program = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("enoent: cannot run " + name + " as a port: " + e.getMessage()
                    + " (check the path and that it is executable)", e);
        }
        PortDriver d = new PortDriver(name, program, options, owner);
        OPEN.put(d.id, d);
        Pid pid;
        try {
            pid = K.spawn(d::run, true, false).pid();
            // Trapping before open returns: no signal can reach it earlier but its owner's death
            // by a non-normal reason, which ends it either way (and the finally kills the program).
            Proc proc = K.lookup(pid);
            if (proc != null) {
                proc.setTrapExit(true);
            }
        } catch (RuntimeException | Error e) {
            OPEN.remove(d.id);
            d.kill();
            throw e;
        }
        d.port = new Port(Nodes.localNode(), d.id, pid);
        K.send(pid, new Start());
        return d.port;
    }

    /** port_command/2; with {@code strict} false, Erlang's {@code Port ! {Pid, {command, Data}}}: a closed port drops it. */
    public static void command(Port port, Object data, boolean strict) {
        byte[] bytes = switch (data) {
            case byte[] b -> b.clone();
            case CharSequence s -> s.toString().getBytes(StandardCharsets.UTF_8);
            case null -> throw new IllegalArgumentException("badarg: data for " + port + " must not be null");
            default -> throw new IllegalArgumentException("badarg: a port takes byte[] or text, not "
                    + data.getClass().getName());
        };
        PortDriver d = OPEN.get(port.id());
        if (d == null || d.closed || !port.pid().equals(d.pid())) {
            if (strict) {
                throw new IllegalArgumentException("badarg: " + port + " is closed");
            }
            return;
        }
        if (d.options.framing() instanceof PortOptions.Packet(int n)) {
            byte[] framed = Deframer.Packet.header(n, bytes.length);
            framed = Arrays.copyOf(framed, n + bytes.length);
            System.arraycopy(bytes, 0, framed, n, bytes.length);
            bytes = framed;
        }
        d.enqueue(bytes);
    }

    public static void close(Port port) {
        PortDriver d = open(port, "close");
        synchronized (d.delivery) {
            d.closed = true;
        }
        Pid me = K.selfOrNull();
        if (me == null || me.equals(port.pid())) {
            K.send(port.pid(), new Close());
            return;
        }
        // Synchronous, as port_close/1: the port is gone (and its exit signals sent) when this returns.
        Ref ref = K.signals().monitor(port.pid());
        K.send(port.pid(), new Close());
        K.receive(m -> m instanceof Down down && down.ref().equals(ref) ? m : null, -1, () -> null, ref);
    }

    public static void connect(Port port, Pid newOwner) {
        PortDriver d = open(port, "connect");
        if (!K.isAlive(newOwner)) {
            throw new IllegalArgumentException("badarg: cannot connect " + port + " to " + newOwner
                    + ": it is not a live local process");
        }
        d.owner = newOwner;
        Pid me = K.selfOrNull();
        if (me == null || me.equals(port.pid())) {
            K.send(port.pid(), new Connect(newOwner, null, null));
            return;
        }
        // Synchronous, as port_connect/2: the port is linked to the new owner when this returns, so
        // an owner that exits at once still closes the port with its own reason.
        Ref ref = K.signals().monitor(port.pid());
        K.send(port.pid(), new Connect(newOwner, me, ref));
        K.receive(m -> m instanceof Connected c && c.ref().equals(ref)
                || m instanceof Down down && down.ref().equals(ref) ? m : null, -1, () -> null, ref);
        K.signals().demonitor(ref, true);
    }

    public static PortInfo info(Port port) {
        PortDriver d = OPEN.get(port.id());
        if (d == null || d.closed || !port.pid().equals(d.pid())) {
            return null;
        }
        ProcessInfo p = K.info(port.pid());
        if (p == null) {
            return null;
        }
        return new PortInfo(port, d.name, d.owner, p.links(), p.monitoredBy(), d.program.pid(), d.input.get(),
                d.output.get(), d.pending.size());
    }

    public static List<Port> all() {
        List<Port> out = new ArrayList<>();
        for (PortDriver d : OPEN.values()) {
            Port p = d.port;
            if (p != null && !d.closed) {
                out.add(p);
            }
        }
        return out;
    }

    private static PortDriver open(Port port, String operation) {
        PortDriver d = OPEN.get(port.id());
        if (d == null || d.closed || !port.pid().equals(d.pid())) {
            throw new IllegalArgumentException("badarg: cannot " + operation + " " + port + ": it is closed");
        }
        return d;
    }

    private Pid pid() {
        Port p = port;
        return p == null ? null : p.pid();
    }

    private void enqueue(byte[] bytes) {
        Proc sender = K.current();
        if (sender != null) {
            sender.checkExit(); // a process killed while it streams to a port dies here, as at a send
        }
        try {
            while (!writerDone && !closed) {
                // Bounded, so a program that does not read stops its senders (Erlang's busy port);
                // a timed offer, so a sender never waits on a writer that has ended.
                if (pending.offer(bytes, 10, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // An exit signal interrupts a process blocked here; it dies at its next receive.
            Thread.currentThread().interrupt();
        }
    }

    // ---- the port process ----

    private void run() {
        try {
            K.receive(m -> m instanceof Start ? m : null, -1, () -> null, null);
            reader = Thread.ofPlatform().daemon().name(port + " reader").stackSize(256 * 1024).start(this::readLoop);
            writer = Thread.ofPlatform().daemon().name(port + " writer").stackSize(256 * 1024).start(this::writeLoop);
            for (;;) {
                Object m = K.receive(x -> x, -1, () -> null, null);
                switch (m) {
                    case Exit(Pid from, ExitReason reason) when from.equals(owner) || reason != ExitReason.NORMAL ->
                            throw K.exitSelf(reason);
                    case Close c -> {
                        return;
                    }
                    case Eof e -> {
                        return;
                    }
                    case Connect(Pid newOwner, Pid from, Ref ref) -> {
                        try {
                            K.signals().link(newOwner);
                        } catch (NoProcException e) {
                            throw K.exitSelf(ExitReason.NOPROC); // the new owner died before the link
                        }
                        if (from != null) {
                            K.send(from, new Connected(ref));
                        }
                    }
                    default -> {} // Erlang's port ignores what it cannot use too
                }
            }
        } finally {
            synchronized (delivery) {
                closed = true;
            }
            OPEN.remove(id, this);
            kill();
        }
    }

    /**
     * Closes the program's stdin and ends the program and everything it started. The writer closes
     * stdin itself as it ends: closing it here could wait forever for a write blocked on a program
     * that does not read (the stream's lock), and the program would never be signalled.
     */
    private void kill() {
        if (writer != null) {
            writer.interrupt();
        } else {
            try {
                program.getOutputStream().close();
            } catch (IOException ignored) {
                // Already broken: the program has gone.
            }
        }
        if (!program.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(program.descendants().toList());
        tree.add(program.toHandle());
        tree.forEach(ProcessHandle::destroy);
        CompletableFuture.delayedExecutor(options.killGrace().toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly));
    }

    // ---- the pipes (platform threads) ----

    private void readLoop() {
        Deframer deframer = Deframer.of(options.framing());
        List<Deframer.Frame> frames = new ArrayList<>();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = program.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                input.addAndGet(n);
                deframer.feed(buf, 0, n, frames);
                deliverAll(frames);
            }
            deframer.finish(frames);
            deliverAll(frames);
        } catch (IOException e) {
            // The port closed under the read.
        } catch (IllegalStateException e) {
            // A packet length too large to hold: the stream cannot be framed any further.
            K.signals().exit(port.pid(), ExitReason.of(Atom.of("einval")));
            return;
        }
        if (closed) {
            return;
        }
        try {
            int status = program.waitFor();
            if (options.reportExitStatus()) {
                deliver(new PortExit(port, status));
            }
        } catch (InterruptedException e) {
            return;
        }
        K.send(port.pid(), new Eof());
    }

    private void deliverAll(List<Deframer.Frame> frames) {
        for (Deframer.Frame f : frames) {
            deliver(new PortData(port, f.bytes(), f.partial()));
        }
        frames.clear();
    }

    private void deliver(Object message) {
        long backoff = 20_000;
        while (!closed && K.queueLength(owner) >= options.maxQueueLen()) {
            // No wake-up exists for "the owner's mailbox got shorter": poll, backing off to 1 ms.
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
        synchronized (delivery) {
            if (!closed) {
                K.send(owner, message);
            }
        }
    }

    private void writeLoop() {
        try (OutputStream out = program.getOutputStream()) {
            for (;;) {
                byte[] b = pending.take();
                out.write(b);
                out.flush();
                output.addAndGet(b.length);
            }
        } catch (IOException | InterruptedException e) {
            // The program closed its stdin or exited, or the port closed.
        } finally {
            writerDone = true;
            pending.clear();
        }
    }
}

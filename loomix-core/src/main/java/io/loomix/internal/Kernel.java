package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Clauses;
import io.loomix.Exit;
import io.loomix.Name;
import io.loomix.NoProcException;
import io.loomix.Pid;
import io.loomix.ProcessInfo;
import io.loomix.Ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The node's runtime: process table, name registry, scheduler and timers. One per JVM, made on
 * first use; {@code loomix.schedulers} (default: the number of cores) sets the carrier count.
 * Knows nothing of the network: messages for other nodes go to the {@link Remote} that
 * distribution installs, and are dropped while there is none, as Erlang drops them.
 */
public final class Kernel {
    private static final System.Logger CRASH_LOG = System.getLogger("io.loomix.process");
    /**
     * The running process, where {@link Scheduler#procOfThread} cannot read it from the thread
     * (java.lang not opened): a lookup on a new thread walks the bindings, about a quarter of a
     * spawn's cost, so it is bound only then.
     */
    private static final ScopedValue<Proc> CURRENT = ScopedValue.newInstance();
    private static final boolean FROM_THREAD = Scheduler.threadsKnowTheirProcess();

    private static final class Holder {
        static final Kernel INSTANCE = new Kernel(
                Integer.getInteger("loomix.schedulers", Runtime.getRuntime().availableProcessors()));
    }

    /** What {@link #current()} finds outside a process: one ScopedValue lookup instead of two. */
    private final Proc NOT_A_PROCESS = new Proc(this, null, "not a process");
    final ProcTable table = new ProcTable(true);
    final TimerWheel timers = new TimerWheel();
    final Scheduler scheduler;
    private final ConcurrentHashMap<Atom, Proc> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Ref, TimerWheel.Timer> sendTimers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Ref, Proc> aliases = new ConcurrentHashMap<>();
    private final AtomicLong refs = new AtomicLong();
    private final boolean strict = Boolean.getBoolean("loomix.strict");
    private final boolean accounting;
    private volatile Remote remote;

    private Kernel(int schedulers) {
        if (schedulers < 1) {
            throw new IllegalArgumentException("loomix.schedulers must be at least 1, was " + schedulers);
        }
        scheduler = new Scheduler(schedulers);
        accounting = scheduler.isCustom() && Budget.supported();
        if (!accounting) {
            System.getLogger("io.loomix.process").log(System.Logger.Level.WARNING,
                    "Loomix cannot count allocations per process here (it needs its own scheduler and a JVM"
                            + " that counts allocated bytes per thread): maxHeapBytes is not enforced and"
                            + " Process.info reports memory as -1");
        }
    }

    /** Whether allocations can be charged to processes (see {@link Budget}). */
    public boolean accountingSupported() {
        return accounting;
    }

    /** process_flag(priority, p) for the calling process; returns the old priority. */
    public io.loomix.Priority priority(io.loomix.Priority p) {
        Objects.requireNonNull(p, "priority must not be null: use Priority.NORMAL");
        Proc me = self("priority");
        io.loomix.Priority old = me.priority;
        me.priority = p;
        return old;
    }

    public static Kernel get() {
        return Holder.INSTANCE;
    }

    /** Delivery to other nodes, installed by distribution. */
    public interface Remote {
        void send(Pid to, Object message);

        void send(Name to, Object message);
    }

    public void installRemote(Remote r) {
        remote = r;
    }

    /** Whether processes run on Loomix's carriers (false: the JDK's default scheduler, with a warning). */
    public boolean ownScheduler() {
        return scheduler.isCustom();
    }

    public int schedulers() {
        return scheduler.carriers.length;
    }

    // ---- the current process ----

    Proc current() {
        if (FROM_THREAD) {
            // Each process is its thread's uncaught-exception handler (see spawn).
            return Scheduler.procOfThread(Thread.currentThread());
        }
        Proc p = CURRENT.orElse(NOT_A_PROCESS);
        return p == NOT_A_PROCESS ? null : p;
    }

    /** The calling process's pid, or null outside a process. */
    public Pid selfOrNull() {
        Proc p = current();
        return p == null ? null : p.pid;
    }

    public Pid self() {
        return self("self()").pid;
    }

    Proc self(String operation) {
        Proc p = current();
        if (p == null) {
            throw new IllegalStateException(operation + " must be called from inside a Loomix process, but "
                    + Thread.currentThread() + " is not one: spawn a process, or wrap the code in Process.run(...)");
        }
        return p;
    }

    // ---- spawn ----

    /** Spawn options: link to and/or monitor the new process from the caller. */
    public record Spawned(Pid pid, Ref monitor) {}

    public Spawned spawn(Runnable body, boolean link, boolean monitor) {
        return spawn(body, link, monitor, io.loomix.SpawnOptions.DEFAULT);
    }

    public Spawned spawn(Runnable body, boolean link, boolean monitor, io.loomix.SpawnOptions options) {
        Objects.requireNonNull(options, "spawn: options must not be null (use SpawnOptions.DEFAULT)");
        Objects.requireNonNull(body, "spawn needs a function to run, got null");
        Proc parent = (link || monitor) ? self(link ? "spawnLink" : "spawnMonitor") : current();
        if (parent != null) {
            parent.checkExit();
            parent.reductions++;
        }
        long slot = table.reserve();
        Pid pid = new Pid(Nodes.localNode(), (int) (slot >>> 32), (int) slot, Nodes.localCreation());
        Budget budget = options.maxQueueLen() > 0 || options.accounted()
                ? new Budget(options.maxQueueLen(), accounting ? options.maxHeapBytes() : 0, accounting && options.accounted())
                : null;
        Proc proc = new Proc(this, pid, body, budget, options.priority());
        // Links and monitors exist before the child runs, so even an instant crash is seen.
        if (link) {
            proc.addLink(parent.pid);
            parent.addLink(pid);
        }
        Ref ref = null;
        if (monitor) {
            ref = newRef();
            proc.addWatcher(ref, new Proc.Watcher(parent.pid, pid));
            parent.addMonitor(ref, pid);
        }
        proc.thread = scheduler.newThread(() -> run(proc, body));
        // How the scheduler finds the process from its thread's task (see Scheduler.procOf).
        proc.thread.setUncaughtExceptionHandler(proc);
        table.publish(proc);
        proc.thread.start();
        return new Spawned(pid, ref);
    }

    private void run(Proc proc, Runnable body) {
        if (FROM_THREAD) {
            runBody(proc, body);
        } else {
            ScopedValue.where(CURRENT, proc).run(() -> runBody(proc, body));
        }
    }

    private static void runBody(Proc proc, Runnable body) {
        ExitReason reason;
        try {
            body.run();
            reason = ExitReason.NORMAL;
        } catch (ProcessExit e) {
            reason = e.reason();
        } catch (Throwable t) {
            reason = new ExitReason.Crash(t);
            CRASH_LOG.log(System.Logger.Level.ERROR, () -> "Error in process " + proc.pid
                    + " with exit value: " + t, t);
        }
        proc.terminate(reason);
    }

    // ---- send ----

    Proc lookup(Pid pid) {
        if (!Nodes.isLocal(pid.node(), pid.creation())) {
            return null;
        }
        return table.get(pid.id(), pid.serial());
    }

    public boolean isLocal(Pid pid) {
        return Nodes.isLocal(pid.node(), pid.creation());
    }

    public void send(Pid to, Object message) {
        check(message);
        Proc sender = current();
        if (sender != null) {
            sender.checkExit();
            sender.reductions++;
        }
        if (!isLocal(to)) {
            Remote r = remote;
            if (r != null) {
                r.send(to, message);
            }
            return;
        }
        Proc target = table.get(to.id(), to.serial());
        if (target != null) {
            target.deliver(message);
        }
    }

    public void send(Atom name, Object message) {
        Objects.requireNonNull(name, "send: destination name must not be null");
        check(message);
        Proc target = names.get(name);
        if (target == null) {
            throw new IllegalArgumentException("badarg: no process is registered as " + name
                    + "; register one first, or send to a pid");
        }
        send(target.pid, message);
    }

    public void send(Name to, Object message) {
        check(message);
        if (to.node() == Nodes.localNode()) {
            Proc target = names.get(to.name());
            if (target != null) {
                send(target.pid, message);
            }
            return;
        }
        Remote r = remote;
        if (r != null) {
            r.send(to, message);
        }
    }

    private void check(Object message) {
        Objects.requireNonNull(message, "message must not be null: send a value (an atom, a record, ...)");
        if (strict) {
            Immutability.check(message);
        }
    }

    /** Sends to an alias; dropped when the alias is no longer active (Erlang's alias semantics). */
    public void send(Ref alias, Object message) {
        Objects.requireNonNull(alias, "send: alias must not be null");
        check(message);
        Proc target = aliases.get(alias);
        if (target != null) {
            target.deliver(message);
        }
    }

    /** alias/0: a ref that works as a destination for the caller until {@link #unalias}. Also marks the mailbox. */
    public Ref alias() {
        Proc me = self("alias");
        Ref ref = makeRef(me);
        aliases.put(ref, me);
        me.addAlias(ref);
        return ref;
    }

    /** unalias/1: messages sent to the alias from now on are dropped. */
    public boolean unalias(Ref alias) {
        Proc me = self("unalias");
        me.removeAlias(alias);
        return aliases.remove(alias, me);
    }

    void dropAliases(Proc proc, List<Ref> refs) {
        for (Ref r : refs) {
            aliases.remove(r, proc);
        }
    }

    // ---- names ----

    public void register(Atom name, Pid pid) {
        Objects.requireNonNull(name, "register: name must not be null");
        Objects.requireNonNull(pid, "register: pid must not be null");
        if (name.name().equals("undefined")) {
            throw new IllegalArgumentException("badarg: 'undefined' cannot be registered as a name");
        }
        Proc proc = lookup(pid);
        if (proc == null) {
            throw new IllegalArgumentException("badarg: cannot register " + name + " for " + pid
                    + ": the process is not alive (or not on this node)");
        }
        synchronized (proc) {
            if (!proc.isAlive()) {
                throw new IllegalArgumentException("badarg: cannot register " + name + " for " + pid
                        + ": the process is not alive");
            }
            if (proc.registeredName != null) {
                throw new IllegalArgumentException("badarg: " + pid + " is already registered as "
                        + proc.registeredName + "; unregister it first");
            }
            Proc holder = names.putIfAbsent(name, proc);
            if (holder != null) {
                throw new IllegalArgumentException("badarg: the name " + name + " is already registered to "
                        + holder.pid + "; pick another name or unregister it first");
            }
            proc.registeredName = name;
        }
    }

    public void unregister(Atom name) {
        Objects.requireNonNull(name, "unregister: name must not be null");
        Proc proc = names.remove(name);
        if (proc == null) {
            throw new IllegalArgumentException("badarg: no process is registered as " + name);
        }
        synchronized (proc) {
            proc.registeredName = null;
        }
    }

    public Pid whereis(Atom name) {
        Proc p = names.get(name);
        return p == null ? null : p.pid;
    }

    public List<Atom> registered() {
        return List.copyOf(names.keySet());
    }

    void unregisterDead(Proc proc) {
        Atom name;
        synchronized (proc) {
            name = proc.registeredName;
            proc.registeredName = null;
        }
        if (name != null) {
            names.remove(name, proc);
        }
    }

    // ---- links, monitors, exit signals ----

    /** link/1: true when linked; for a dead target, noproc as Erlang gives it. */
    public void link(Pid other) {
        Proc me = self("link");
        Objects.requireNonNull(other, "link: pid must not be null");
        if (other.equals(me.pid)) {
            return;
        }
        Proc target = lookup(other);
        if (!isLocal(other)) {
            throw new UnsupportedOperationException("link to " + other + " needs distribution, which is not started");
        }
        if (target != null && me.addLink(other) && target.addLink(me.pid)) {
            return;
        }
        me.removeLink(other);
        if (me.trapsExits()) {
            me.deliver(new Exit(other, ExitReason.NOPROC));
        } else {
            throw new NoProcException("link", other);
        }
    }

    public void unlink(Pid other) {
        Proc me = self("unlink");
        Objects.requireNonNull(other, "unlink: pid must not be null");
        me.removeLink(other);
        Proc target = lookup(other);
        if (target != null) {
            target.removeLink(me.pid);
        }
    }

    /** A linked process exited: tell {@code to}, if it still holds the link. */
    void linkExit(Pid from, Pid to, ExitReason reason) {
        Proc target = lookup(to);
        if (target != null && target.removeLink(from)) {
            target.exitSignal(from, reason, true);
        }
    }

    /** exit/2. */
    public void exit(Pid to, ExitReason reason) {
        Objects.requireNonNull(to, "exit: pid must not be null");
        Objects.requireNonNull(reason, "exit: reason must not be null");
        Proc sender = current();
        Pid from = sender != null ? sender.pid : to;
        Proc target = lookup(to);
        if (target != null) {
            target.exitSignal(from, reason, false);
        }
        if (sender != null) {
            sender.checkExit();
        }
    }

    public Ref monitor(Pid target) {
        Objects.requireNonNull(target, "monitor: pid must not be null");
        return monitor(target, target);
    }

    public Ref monitor(Name name) {
        Objects.requireNonNull(name, "monitor: name must not be null");
        Proc me = self("monitor");
        Proc target = name.node() == Nodes.localNode() ? names.get(name.name()) : null;
        if (target == null) {
            Ref ref = makeRef(me);
            me.deliver(new Down(ref, name, ExitReason.NOPROC));
            return ref;
        }
        return monitor(target.pid, name);
    }

    private Ref monitor(Pid target, Object object) {
        Proc me = self("monitor");
        Ref ref = makeRef(me);
        if (target.equals(me.pid)) {
            return ref; // Erlang makes no monitor on oneself
        }
        Proc proc = lookup(target);
        if (proc != null) {
            me.addMonitor(ref, target);
            if (proc.addWatcher(ref, new Proc.Watcher(me.pid, object))) {
                return ref;
            }
            me.removeMonitor(ref);
        }
        me.deliver(new Down(ref, object, ExitReason.NOPROC));
        return ref;
    }

    /** demonitor/2: true if the monitor was active; with flush, removes its Down message too. */
    public boolean demonitor(Ref ref, boolean flush) {
        Proc me = self("demonitor");
        Objects.requireNonNull(ref, "demonitor: ref must not be null");
        Pid target = me.removeMonitor(ref);
        boolean active = target != null && dropWatch(ref, target);
        // A dying process delivers Down only for monitors it can still remove from its watcher;
        // if we removed ours first, no Down exists or will come, and the mailbox need not be read.
        if (flush && target == null) {
            me.receive(m -> m instanceof Down d && d.ref().equals(ref) ? d : null, 0, () -> null, null);
        }
        return active;
    }

    boolean dropWatch(Ref ref, Pid target) {
        Proc proc = lookup(target);
        return proc != null && proc.removeWatcher(ref);
    }

    /** A monitored process exited: tell the watcher, if it still holds the monitor. */
    void down(Pid watcher, Ref ref, Object object, ExitReason reason) {
        Proc w = lookup(watcher);
        if (w != null && w.removeMonitor(ref) != null) {
            w.deliver(new Down(ref, object, reason));
        }
    }

    // ---- refs and timers ----

    public Ref newRef() {
        return new Ref(Nodes.localNode(), Nodes.localCreation(), refs.incrementAndGet());
    }

    /** make_ref/0: inside a process, also sets the receive marker for this ref. */
    public Ref makeRef() {
        Proc me = current();
        return me == null ? newRef() : makeRef(me);
    }

    private Ref makeRef(Proc me) {
        Ref ref = newRef();
        me.mark(ref);
        return ref;
    }

    public Ref sendAfter(Object dest, Object message, long delayMillis) {
        Objects.requireNonNull(dest, "sendAfter: destination must not be null");
        check(message);
        if (delayMillis < 0) {
            throw new IllegalArgumentException("badarg: sendAfter delay must be >= 0 ms, was " + delayMillis);
        }
        Ref ref = newRef();
        long deadline = System.nanoTime() + delayMillis * 1_000_000L;
        TimerWheel.Timer timer = timers.start(deadline, () -> {
            sendTimers.remove(ref);
            deliverTimed(dest, message);
        });
        sendTimers.put(ref, timer);
        return ref;
    }

    private void deliverTimed(Object dest, Object message) {
        switch (dest) {
            case Pid pid -> send(pid, message);
            case Atom name -> {
                Proc target = names.get(name);
                if (target != null) {
                    target.deliver(message);
                }
            }
            case Name name -> send(name, message);
            default -> throw new IllegalArgumentException("not a destination: " + dest);
        }
    }

    /** cancel_timer/1: the milliseconds that were left, or empty if it fired or is unknown. */
    public OptionalLong cancelTimer(Ref ref) {
        TimerWheel.Timer timer = sendTimers.remove(ref);
        if (timer == null || !timer.cancel()) {
            return OptionalLong.empty();
        }
        long left = timer.deadline - System.nanoTime();
        return OptionalLong.of(Math.max(0, Math.ceilDiv(left, 1_000_000L)));
    }

    // ---- receive and flags (calling process) ----

    public <R> R receive(Clauses<? extends R> clauses, long timeoutNanos, Supplier<? extends R> after, Ref since) {
        Objects.requireNonNull(clauses, "receive: clauses must not be null");
        return self("receive").receive(clauses, timeoutNanos, after, since);
    }

    public List<Object> flush() {
        Proc me = self("flush");
        me.checkExit();
        return me.drainAll();
    }

    public boolean trapExit(boolean on) {
        return self("trapExit").setTrapExit(on);
    }

    /** exit/1: ends the calling process with {@code reason}. */
    public RuntimeException exitSelf(ExitReason reason) {
        Objects.requireNonNull(reason, "exit: reason must not be null");
        self("exit");
        throw new ProcessExit(reason);
    }

    // ---- introspection ----

    public boolean isAlive(Pid pid) {
        Proc p = lookup(pid);
        return p != null && p.isAlive();
    }

    public ProcessInfo info(Pid pid) {
        Proc p = lookup(pid);
        if (p == null || p.state() == Proc.DEAD) {
            return null;
        }
        Budget b = p.budget;
        boolean counted = b != null && b.accounted;
        return new ProcessInfo(p.pid, p.status(), p.queueLength(), p.links(), p.monitoredPids(),
                p.watcherPids(), p.registeredName, p.trapsExits(), initialCall(p.body), p.reductions,
                p.priority, counted ? b.memory() : -1, counted ? b.allocated() : -1);
    }

    /**
     * The stack of a process waiting in receive; null for any other. The JDK takes the stack of an
     * unmounted virtual thread by suspending it, and one that is runnable (queued on a carrier)
     * it then submits to the scheduler a second time; a parked one it only resubmits if it was
     * unparked meanwhile, which is the ordinary single wake-up.
     */
    public List<StackTraceElement> stacktrace(Pid pid) {
        Proc p = lookup(pid);
        Thread t = p == null ? null : p.thread;
        if (t == null || p.state() != Proc.WAITING) {
            return null;
        }
        return List.of(t.getStackTrace());
    }

    private static String initialCall(Object body) {
        String name = body.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        return (lambda >= 0 ? name.substring(0, lambda) : name) + ".run/0";
    }

    public List<Pid> processes() {
        List<Proc> all = table.all();
        List<Pid> out = new ArrayList<>(all.size());
        for (Proc p : all) {
            out.add(p.pid);
        }
        return out;
    }

    public int processCount() {
        return table.size();
    }

}

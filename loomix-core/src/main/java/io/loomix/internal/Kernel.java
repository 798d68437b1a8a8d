package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Clauses;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.ProcessInfo;
import io.loomix.Ref;
import io.loomix.internal.remote.RemoteNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The node's runtime: process table, name registry, scheduler and timers. One per JVM, made on
 * first use; {@code loomix.schedulers} (default: the number of cores) sets the carrier count.
 * Knows nothing of the network: signals for other nodes go to the {@link RemoteNode} that
 * distribution installs, and are dropped while there is none, as Erlang drops them.
 */
public final class Kernel {
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
    private final Names names = new Names(this);
    private final SendTimers sendTimers = new SendTimers(this);
    final Aliases aliases = new Aliases(this);
    private final RemoteSignals remoteSignals = new RemoteSignals(this);
    private final Signals signals = new Signals(this);
    private final AtomicLong refs = new AtomicLong();
    private final boolean strict = Boolean.getBoolean("loomix.strict");
    private final boolean accounting;
    private volatile RemoteNode remote;

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

    /** process_flag(priority, p) for the calling process; returns the old priority. */
    public io.loomix.Priority priority(io.loomix.Priority p) {
        Objects.requireNonNull(p, "priority must not be null: use Priority.NORMAL");
        Proc me = self("priority");
        io.loomix.Priority old = me.priority;
        me.priority = p;
        return old;
    }

    public static Kernel get() {
        return Primed.INSTANCE;
    }

    /** The kernel once its wake path is warm (see {@link WarmUp}); first use waits for it. */
    private static final class Primed {
        static final Kernel INSTANCE = Holder.INSTANCE;

        static {
            WarmUp.run(INSTANCE);
        }
    }

    /** The outbound side of the seam (see {@link RemoteNode}); the inbound side is {@link RemoteSignals}. */
    public void installRemote(RemoteNode r) {
        remote = r;
    }

    RemoteNode remote() {
        return remote;
    }

    /** See {@link io.loomix.internal.remote.RuntimeHooks#installIdlePoller}. */
    public boolean installIdlePoller(io.loomix.internal.remote.IdlePoller poller) {
        return scheduler.installPoller(poller);
    }

    /** What distribution calls when a peer signals a local process, or a peer is lost. */
    /** Links, monitors and exit signals. */
    public Signals signals() {
        return signals;
    }

    public RemoteSignals remoteSignals() {
        return remoteSignals;
    }

    /** Whether processes run on Loomix's carriers (false: the JDK's default scheduler, with a warning). */
    public boolean ownScheduler() {
        return scheduler.isCustom();
    }

    public int schedulers() {
        return scheduler.carriers.length;
    }

    /** Clauses that accept no message: a receive with them only waits (sleep), so it may nest. */
    public static final Clauses<Object> NO_MESSAGE = m -> null;

    /** Erlang's badarg for a null where a pid, name, ref or reason belongs: an IllegalArgumentException. */
    public static <T> T notNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("badarg: " + what + " must not be null");
        }
        return value;
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

    /**
     * Whether the caller is a process that may be suspended now (distribution's busy limit): a
     * live one, not one that is sending its last signals or has an exit signal waiting.
     */
    public boolean selfMaySuspend() {
        Proc p = current();
        return p != null && p.state() < Proc.EXITING && !p.exitPending();
    }

    /** Marks the calling process suspended (outside receive, for distribution's busy limit) or not. */
    public void selfSuspended(boolean on) {
        Proc p = current();
        if (p != null) {
            p.suspended = on;
        }
    }

    /** The calling process dies here if an exit signal waits for it; outside a process, nothing happens. */
    public void selfCheckExit() {
        Proc p = current();
        if (p != null) {
            p.checkExit();
        }
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
        // An exit signal can reach the parent between its checkExit and here: it then refuses the
        // link, and the child is told through its side of it once it is published.
        boolean parentGone = link && proc.addLink(parent.pid) == Proc.Linked.ADDED
                && parent.addLink(pid) == Proc.Linked.GONE;
        Ref ref = null;
        if (monitor) {
            ref = newRef();
            proc.addWatcher(ref, new Proc.Watcher(parent.pid, pid));
            parent.addMonitor(ref, new Proc.Held(pid, pid, null, false));
        }
        proc.thread = scheduler.newThread(() -> run(proc, body));
        // How the scheduler finds the process from its thread's task (see Scheduler.procOf).
        proc.thread.setUncaughtExceptionHandler(proc);
        table.publish(proc);
        proc.thread.start();
        if (parentGone) {
            signals.linkExit(parent.pid, pid, parent.pendingExit());
        }
        return new Spawned(pid, ref);
    }

    private void run(Proc proc, Runnable body) {
        if (FROM_THREAD) {
            runBody(proc, body);
        } else {
            ScopedValue.where(CURRENT, proc).run(() -> runBody(proc, body));
        }
    }

    /**
     * An exit signal that arrived wins over however the body ended, unless the process exited by
     * its own exit(reason) before it looked (BEAM's exit_before_pending_exit): a process that
     * returned, or threw its own exception when the signal interrupted a sleep, exits with the
     * signal's reason, as on BEAM where the signal ends it at once. One that caught the signal at
     * a yield point was terminated there already (see Proc.checkExit).
     */
    private static void runBody(Proc proc, Runnable body) {
        ExitReason reason;
        boolean ownExit = false;
        Runnable next = body;
        for (;;) {
            try {
                next.run();
                reason = ExitReason.NORMAL;
            } catch (Hibernation h) {
                if (proc.hibernate(h.resume())) {
                    return; // the thread ends; the next message starts a new one (thaw)
                }
                next = h.resume();
                continue;
            } catch (ProcessExit e) {
                reason = e.reason();
                ownExit = true;
            } catch (Throwable t) {
                reason = proc.pendingExit() == null ? RuntimeFaults.crash(proc.pid, t) : new ExitReason.Crash(t);
            }
            break;
        }
        ExitReason pending = proc.pendingExit();
        try {
            proc.terminate(pending != null && !ownExit ? pending : reason);
        } catch (OutOfMemoryError e) {
            // Half exited, its links and monitors would wait for good: the node stops instead.
            RuntimeFaults.halt("a process ran out of memory while it exited", proc.pid);
        }
    }

    /**
     * erlang:hibernate/3: unwinds the calling process's stack to its body and ends its thread; the
     * next message (or exit signal) starts a new thread running {@code resume}. Never returns.
     */
    public RuntimeException hibernate(Runnable resume) {
        notNull(resume, "hibernate: the function to resume with");
        Proc me = self("hibernate");
        if (me.matching()) {
            throw me.nestedReceive("hibernate");
        }
        me.checkExit();
        throw new Hibernation(resume);
    }

    /** A hibernated process was woken (see Proc.thaw): a new thread runs it from {@code resume}. */
    void thaw(Proc proc, Runnable resume) {
        Thread t = scheduler.newThread(() -> run(proc, () -> {
            proc.checkExit(); // killed while hibernated: it dies before running any of its code
            resume.run();
        }));
        t.setUncaughtExceptionHandler(proc);
        proc.thread = t;
        t.start();
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
            RemoteNode r = remote;
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
        notNull(name, "send: destination name");
        check(message);
        Proc target = names.registeredProc(name);
        if (target == null) {
            throw new IllegalArgumentException("badarg: no process is registered as " + name
                    + "; register one first, or send to a pid");
        }
        send(target.pid, message);
    }

    public void send(Name to, Object message) {
        check(message);
        if (Nodes.isLocalNode(to.node())) { // also a Name.local made before the node started
            Proc target = names.registeredProc(to.name());
            if (target != null) {
                send(target.pid, message);
            }
            return;
        }
        RemoteNode r = remote;
        if (r != null) {
            r.send(to, message);
        }
    }

    void check(Object message) {
        if (message == null) {
            throw new IllegalArgumentException("badarg: message must not be null: send a value (an atom, a record, ...)");
        }
        if (strict) {
            Immutability.check(message);
        }
    }

    /**
     * Sends to an alias; dropped when the alias is no longer active (Erlang's alias semantics,
     * see {@link Aliases#send}).
     */
    public void send(Ref alias, Object message) {
        notNull(alias, "send: alias");
        check(message);
        if (!alias.isLocal()) {
            remoteSignals.sendRemote(alias, message);
            return;
        }
        aliases.send(alias, message);
    }

    /** alias/0: a ref that works as a destination for the caller until {@link #unalias}. Also marks the mailbox. */
    public Ref alias() {
        return alias(false);
    }

    /**
     * alias/1: with {@code reply}, the alias ends after the first message sent through it is
     * delivered (or at unalias, or at the caller's exit), so a late second reply is dropped.
     */
    public Ref alias(boolean replyOnce) {
        Proc me = self("alias");
        Ref ref = makeRef(me);
        aliases.add(me, ref, replyOnce, false);
        return ref;
    }

    /** unalias/1: messages sent to the alias from now on are dropped. */
    public boolean unalias(Ref alias) {
        Proc me = self("unalias");
        notNull(alias, "unalias: ref");
        return aliases.unalias(me, alias);
    }

    /** erlang:yield/0: lets other runnable processes run; a pending exit takes effect here. */
    public void yieldNow() {
        Proc me = current();
        if (me != null) {
            me.checkExit();
            me.reductions++;
        }
        Thread.yield();
        if (me != null) {
            me.checkExit();
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

    Ref makeRef(Proc me) {
        Ref ref = newRef();
        me.mark(ref);
        return ref;
    }

    /** send_after, read_timer and cancel_timer. */
    public SendTimers sendTimers() {
        return sendTimers;
    }

    /** register, unregister, whereis and registered: the node's local names. */
    public Names names() {
        return names;
    }

    // ---- receive and flags (calling process) ----

    public <R> R receive(Clauses<? extends R> clauses, long timeoutNanos, Supplier<? extends R> after, Ref since) {
        Objects.requireNonNull(clauses, "receive: clauses must not be null");
        return self("receive").receive(clauses, timeoutNanos, after, since);
    }

    public List<Object> flush() {
        Proc me = self("flush");
        if (me.matching()) {
            throw me.nestedReceive("flush");
        }
        me.checkExit();
        List<Object> all = me.drainAll();
        List<Object> out = new ArrayList<>(all.size());
        for (Object m : all) {
            if (!(m instanceof Aliases.ViaAlias via)) {
                out.add(m);
            } else if (aliases.isActive(via.alias())) {
                out.add(via.message());
            }
        }
        return out;
    }

    public boolean trapExit(boolean on) {
        return self("trapExit").setTrapExit(on);
    }

    /** exit/1: ends the calling process with {@code reason}. */
    public RuntimeException exitSelf(ExitReason reason) {
        notNull(reason, "exit: reason (use ExitReason.NORMAL for a normal exit)");
        self("exit");
        throw new ProcessExit(reason);
    }

    // ---- introspection ----

    /**
     * Erlang's rule for is_process_alive/1 and process_info/1: a pid of another node is
     * {@code badarg}; one of an earlier incarnation of this node is simply not alive.
     */
    private void requireThisNode(Pid pid, String operation) {
        if (!isLocal(pid) && !Nodes.isLocalNode(pid.node())) {
            throw new IllegalArgumentException(operation + ": " + pid + " is a process of node " + pid.node()
                    + ", and only this node's processes can be inspected (Erlang raises badarg too);"
                    + " ask that node, for instance with Rpc.call");
        }
    }

    public boolean isAlive(Pid pid) {
        requireThisNode(pid, "alive");
        Proc p = lookup(pid);
        return p != null && p.isAlive();
    }

    public ProcessInfo info(Pid pid) {
        requireThisNode(pid, "info");
        Proc p = lookup(pid);
        if (p == null || p.state() == Proc.DEAD || p.pendingExit() != null) {
            return null;
        }
        Budget b = p.budget;
        boolean counted = b != null && b.accounted;
        return new ProcessInfo(p.pid, p.status(), p.queueLength(), p.links(), p.monitored(),
                p.watcherPids(), p.registeredName, p.trapsExits(), initialCall(p.bodyClass), p.reductions,
                p.priority, counted ? b.memory() : -1, counted ? b.allocated() : -1);
    }

    /**
     * The stack of a process waiting in receive (empty for a hibernated one); null for any other. The JDK takes the stack of an
     * unmounted virtual thread by suspending it, and one that is runnable (queued on a carrier)
     * it then submits to the scheduler a second time; a parked one it only resubmits if it was
     * unparked meanwhile, which is the ordinary single wake-up.
     */
    public List<StackTraceElement> stacktrace(Pid pid) {
        Proc p = lookup(pid);
        if (p != null && p.state() == Proc.HIBERNATED) {
            return List.of(); // hibernate discarded the stack
        }
        Thread t = p == null ? null : p.thread;
        if (t == null || p.state() != Proc.WAITING) {
            return null;
        }
        return List.of(t.getStackTrace());
    }

    private static String initialCall(Class<?> body) {
        String name = body.getName();
        int lambda = name.indexOf("$$Lambda");
        return (lambda >= 0 ? name.substring(0, lambda) : name) + ".run/0";
    }

    /** Messages waiting in {@code pid}'s mailbox; 0 when it is not a live local process. */
    public long queueLength(Pid pid) {
        Proc p = lookup(pid);
        return p == null ? 0 : p.queueLength();
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

package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Clauses;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.LimitExceeded;
import io.loomix.Pid;
import io.loomix.Priority;
import io.loomix.Ref;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A process: its mailbox (inherited, to save an object per process), its virtual thread, its
 * links and monitors, and its exit.
 *
 * <p>Threads: the process's own thread receives and exits; any thread may enqueue, signal, link
 * and monitor. Links and monitors are guarded by this object's monitor; a process never holds two
 * processes' monitors at once, so there is no lock order to get wrong. The state goes
 * RUNNING ⇄ WAITING → EXITING → DEAD; once EXITING, links and monitors are frozen. RUNNING ⇄
 * HIBERNATED: the process's thread has ended (see {@link #hibernate}), and a message or exit signal
 * starts a new one at the function it left.
 */
final class Proc extends Mailbox implements Thread.UncaughtExceptionHandler {
    static final int RUNNING = 0;
    static final int WAITING = 1;
    static final int HIBERNATED = 2;
    static final int EXITING = 3;
    static final int DEAD = 4;

    private static final System.Logger LIMIT_LOG = System.getLogger("io.loomix.process");
    private static final VarHandle STATE;
    private static final VarHandle PENDING_EXIT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Proc.class, "state", int.class);
            PENDING_EXIT = l.findVarHandle(Proc.class, "pendingExit", ExitReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Pid pid;
    final Kernel kernel;
    /**
     * The class of the function the process runs, for {@code initial_call}: the class and not the
     * function, which would keep what it captured alive for as long as the process lives.
     */
    final Class<?> bodyClass;
    Thread thread;
    private volatile int state;
    private volatile boolean trapExit;
    /** An exit signal that will end this process at its next receive (or yield point). */
    private volatile ExitReason pendingExit;
    volatile Atom registeredName;
    /** What a hibernated process runs when it wakes; written before HIBERNATED is published. */
    private Runnable resume;

    // Guarded by this.
    private HashSet<Pid> links;
    /** Monitors this process holds. */
    private HashMap<Ref, Held> monitors;
    /** Monitors on this process: ref to who watches and what Down names. */
    private HashMap<Ref, Watcher> watchers;

    /** Own thread only: aliases this process made and has not removed (null: none). */
    private ArrayList<Ref> aliasRefs;
    private int aliasPruneAt = 16;

    /** Receiver only: counts messages matched and sent, Erlang's reductions in spirit. */
    long reductions;
    /** Own thread only: terminate has run (at a yield point, or as the body ended). */
    private boolean terminated;
    /** Own thread writes: it waits outside receive for a busy distribution connection (status {@code suspended}). */
    volatile boolean suspended;
    /** Own thread only: a receive's clauses are running (a nested receive is refused). */
    private boolean matching;
    /** Receiver only: the receive marker, set by makeRef (see receive). */
    private Ref markRef;
    private Node markNode;

    record Watcher(Pid pid, Object object) {}

    /**
     * A monitor this process holds: the pid watched, what its Down names (the pid, or the Name
     * monitored), the tag its Down carries instead of being a plain {@link Down} (null: none), and
     * whether the monitor's ref is an alias that ends with it.
     */
    record Held(Pid pid, Object object, Object tag, boolean alias) {}

    /** Limits and allocation accounting (null: none); see {@link io.loomix.SpawnOptions}. */
    final Budget budget;
    /** Its scheduling priority, read by the scheduler whenever the process becomes ready to run. */
    volatile Priority priority;
    /**
     * Set by a carrier as it first runs the process (a plain field: a stale read only queues a
     * task in the wrong one of a carrier's two queues); see {@link Carrier#queueBehind}.
     */
    boolean started;

    Proc(Kernel kernel, Pid pid, Object body) {
        this(kernel, pid, body, null, Priority.NORMAL);
    }

    Proc(Kernel kernel, Pid pid, Object body, Budget budget, Priority priority) {
        this.kernel = kernel;
        this.pid = pid;
        this.bodyClass = body.getClass();
        this.budget = budget;
        this.priority = priority;
    }

    /**
     * Never called in practice (Kernel.run catches everything a process throws): a process is its
     * thread's uncaught exception handler so that the scheduler can find it from the thread.
     */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        System.getLogger("io.loomix.process").log(System.Logger.Level.ERROR,
                "Uncaught exception in the thread of process " + pid, e);
    }

    // ---- state and signals (any thread) ----

    int state() {
        return state;
    }

    /**
     * Alive for the world: not exiting and no exit signal pending. A pending exit cannot be
     * undone (whether it is trapped was decided when it arrived), so a process that has one is
     * treated as gone at once, as Erlang's is_process_alive is ordered after the caller's signals.
     */
    boolean isAlive() {
        return state < EXITING && pendingExit == null;
    }

    boolean trapsExits() {
        return trapExit;
    }

    boolean setTrapExit(boolean on) {
        boolean old = trapExit;
        trapExit = on;
        return old;
    }

    /** Any thread: delivers a message and wakes the receiver if it waits. */
    void deliver(Object message) {
        if (state >= EXITING) {
            return;
        }
        enqueue(message);
        if (budget != null && budget.maxQueueLen > 0) {
            checkQueueLimit();
        }
        int s = state;
        if (s == WAITING) {
            wake();
        } else if (s == HIBERNATED) {
            thaw();
        }
    }

    /**
     * A mailbox over its limit kills its process, and only it: the sender goes on, and the
     * process's links and monitors see the reason. Checked by the sender, so a process that never
     * receives is still caught.
     */
    private void checkQueueLimit() {
        long length = queueLength();
        long maxQueueLen = budget.maxQueueLen;
        if (length > maxQueueLen && pendingExit == null) {
            ExitReason reason = new ExitReason.Term(new LimitExceeded("message_queue_len", length, maxQueueLen));
            kill(reason);
            LIMIT_LOG.log(System.Logger.Level.ERROR, () -> "Process " + pid + " killed: " + length
                    + " messages queued, over its limit of " + maxQueueLen
                    + " (SpawnOptions.maxQueueLen); it receives more slowly than it is sent to");
        }
    }

    /**
     * The process has allocated more than its heap limit since its last receive: it is killed, as
     * Erlang kills a process over its {@code max_heap_size}, and only it. Any thread (its carrier
     * after a slice, the ticker during one, the process itself in receive).
     */
    void heapExceeded(long memory) {
        Budget b = budget;
        if (b.overLimit || state >= EXITING) {
            return;
        }
        b.overLimit = true;
        kill(new ExitReason.Term(new LimitExceeded("max_heap_size", memory, b.maxHeapBytes)));
        LIMIT_LOG.log(System.Logger.Level.ERROR, () -> "Process " + pid + " killed: it allocated " + memory
                + " bytes since its last receive, over its limit of " + b.maxHeapBytes
                + " (SpawnOptions.maxHeapBytes); raise the limit, or work in smaller steps");
    }

    private void wake() {
        if (STATE.compareAndSet(this, WAITING, RUNNING)) {
            LockSupport.unpark(thread);
        }
    }

    /** Any thread: the first to move a hibernated process back to RUNNING starts its new thread. */
    private void thaw() {
        if (STATE.compareAndSet(this, HIBERNATED, RUNNING)) {
            Runnable r = resume;
            resume = null;
            kernel.thaw(this, r);
        }
    }

    /**
     * Own thread, as its body unwinds from {@code hibernate}: parks the process without a thread.
     * True when the calling thread must end (a message or an exit signal starts a new one); false
     * when a message or exit signal is there already, and the caller runs {@code resume} at once
     * itself, as Erlang wakes a process that hibernates with messages queued. No wake-up is lost:
     * the state is stored before the queue's count and the pending exit are read again, and a
     * sender counts its message (a killer sets the pending exit) before it reads the state, all
     * volatile accesses, so one of the two sides sees the other. Once HIBERNATED is published this
     * thread never takes the process back itself: a waker may have started a new thread which
     * hibernated again meanwhile, so the state would be HIBERNATED once more but with that thread's
     * resume; {@link #thaw} starts whatever resume is current.
     */
    boolean hibernate(Runnable resume) {
        dropMarker();
        if (queueLength() != 0 || pendingExit != null) {
            return false;
        }
        this.resume = resume;
        thread = null; // the ended thread and its stack must not stay reachable
        STATE.setVolatile(this, HIBERNATED);
        if (queueLength() != 0 || pendingExit != null) {
            thaw(); // a sender that read the state before it was published did not; a new thread runs it
        }
        return true;
    }

    /**
     * Any thread: an exit signal from {@code from}. Erlang's rules: {@code kill} sent with
     * exit/2 cannot be trapped; a trapping process gets an {@link Exit} message; otherwise
     * {@code normal} is ignored unless a process sends it to itself, and anything else kills.
     */
    void exitSignal(Pid from, ExitReason reason, boolean viaLink) {
        if (reason == ExitReason.KILL && !viaLink) {
            kill(ExitReason.KILLED);
        } else if (trapExit) {
            deliver(new Exit(from, reason));
        } else if (reason != ExitReason.NORMAL) {
            kill(reason);
        } else if (!viaLink && from.equals(pid)) {
            kill(ExitReason.NORMAL);
        }
    }

    private void kill(ExitReason reason) {
        if (state >= EXITING || !PENDING_EXIT.compareAndSet(this, null, reason)) {
            return;
        }
        int s = state;
        if (s == WAITING) {
            wake();
        } else if (s == HIBERNATED) {
            thaw();
        } else {
            Thread t = thread; // read once: a process that hibernates clears it
            if (t != null && Thread.currentThread() != t) {
                // It may be blocked outside receive, in I/O or a sleep.
                t.interrupt();
            }
        }
    }

    /** Whether an exit signal waits to take effect (the process dies at its next yield point). */
    boolean exitPending() {
        return pendingExit != null;
    }

    /** The exit signal that is ending this process, or null. */
    ExitReason pendingExit() {
        return pendingExit;
    }

    /**
     * Own thread, at a yield point: dies now if an exit signal has arrived. The first time, the
     * process is terminated on the spot (links, monitors, name, table), whatever its thread does
     * afterwards: a process that catches the ProcessExit cannot survive the signal.
     */
    void checkExit() {
        ExitReason reason = pendingExit;
        if (reason != null) {
            if (!terminated) {
                terminate(reason);
            }
            throw new ProcessExit(reason);
        }
    }

    // ---- links and monitors ----

    /** What {@link #addLink} did. */
    enum Linked { ADDED, ALREADY, GONE }

    /** Adds a link to {@code other}; GONE if this process is exiting or has an exit pending. */
    synchronized Linked addLink(Pid other) {
        if (state >= EXITING || pendingExit != null) {
            return Linked.GONE;
        }
        if (links == null) {
            links = new HashSet<>(4);
        }
        return links.add(other) ? Linked.ADDED : Linked.ALREADY;
    }

    /**
     * A linked process exited: the signal takes effect only if the link is still there. Removal
     * and delivery happen under this process's lock, the lock {@link #removeLink} takes, so once
     * an unlink has returned no signal from the link can arrive (Erlang's guarantee).
     */
    synchronized void linkSignal(Pid from, ExitReason reason) {
        if (links != null && links.remove(from)) {
            if (links.isEmpty()) {
                links = null;
            }
            exitSignal(from, reason, true);
        }
    }

    /**
     * A monitored process exited: the Down is delivered only if the monitor is still held, under
     * the lock that {@link #removeMonitor} takes, so demonitor either removes the monitor (no Down
     * will come) or finds the Down already in the mailbox.
     */
    synchronized void monitorDown(Ref ref, Object object, ExitReason reason) {
        Held held = monitors == null ? null : monitors.remove(ref);
        if (held != null) {
            if (monitors.isEmpty()) {
                monitors = null;
            }
            monitorDown(ref, held, reason);
        }
    }

    /** Delivers the Down of a monitor already removed (or never made: noproc). */
    void monitorDown(Ref ref, Held held, ExitReason reason) {
        if (held.alias()) {
            kernel.aliases.drop(this, ref);
        }
        deliver(held.tag() == null ? new Down(ref, held.object(), reason)
                : new io.loomix.TaggedDown(held.tag(), ref, held.object(), reason));
    }

    synchronized boolean removeLink(Pid other) {
        if (links == null || !links.remove(other)) {
            return false;
        }
        if (links.isEmpty()) {
            links = null; // an empty set still costs about 80 bytes, in every process that ever had one
        }
        return true;
    }

    synchronized void addMonitor(Ref ref, Held held) {
        if (monitors == null) {
            monitors = new HashMap<>(4);
        }
        monitors.put(ref, held);
    }

    synchronized Held removeMonitor(Ref ref) {
        if (monitors == null) {
            return null;
        }
        Held held = monitors.remove(ref);
        if (monitors.isEmpty()) {
            monitors = null;
        }
        return held;
    }

    /** Registers a watcher; false if this process is exiting or has an exit pending (the watcher gets noproc). */
    synchronized boolean addWatcher(Ref ref, Watcher watcher) {
        if (state >= EXITING || pendingExit != null) {
            return false;
        }
        if (watchers == null) {
            watchers = new HashMap<>(4);
        }
        watchers.put(ref, watcher);
        return true;
    }

    synchronized boolean removeWatcher(Ref ref) {
        if (watchers == null || watchers.remove(ref) == null) {
            return false;
        }
        if (watchers.isEmpty()) {
            watchers = null; // e.g. proc_lib's start monitor, gone once the server has started
        }
        return true;
    }

    synchronized List<Pid> links() {
        return links == null ? List.of() : List.copyOf(links);
    }

    /** What this process monitors: a pid, or the Name it monitored (Erlang's {@code {Name, Node}}). */
    synchronized List<Object> monitored() {
        if (monitors == null) {
            return List.of();
        }
        List<Object> out = new ArrayList<>(monitors.size());
        for (Held h : monitors.values()) {
            out.add(h.object());
        }
        return out;
    }

    synchronized List<Pid> watcherPids() {
        if (watchers == null) {
            return List.of();
        }
        List<Pid> out = new ArrayList<>(watchers.size());
        for (Watcher w : watchers.values()) {
            out.add(w.pid());
        }
        return out;
    }

    /**
     * Remembers an alias to drop at exit. Reply-once aliases end without the owner's doing, so the
     * list is pruned of inactive ones whenever it has doubled since the last pruning.
     */
    void addAlias(Ref ref, java.util.function.Predicate<Ref> active) {
        if (aliasRefs == null) {
            aliasRefs = new ArrayList<>(2);
        }
        if (aliasRefs.size() >= aliasPruneAt) {
            aliasRefs.removeIf(active.negate());
            aliasPruneAt = Math.max(16, aliasRefs.size() * 2);
        }
        aliasRefs.add(ref);
    }

    void removeAlias(Ref ref) {
        if (aliasRefs != null) {
            aliasRefs.remove(ref);
        }
    }

    // ---- receive (own thread) ----

    /** Records a receive marker: a receive for {@code ref} need not look at older messages. */
    void mark(Ref ref) {
        markRef = ref;
        markNode = currentTail();
    }

    /**
     * Erlang's receive: the oldest message the clauses accept is removed and its result
     * returned; the others stay in order. Waits up to {@code timeoutNanos} (negative: forever),
     * then returns {@code after.get()}. With {@code since} equal to the last marker's ref, messages
     * that were already queued when the ref was made are skipped: none of them can hold it.
     */
    <R> R receive(Clauses<? extends R> clauses, long timeoutNanos, Supplier<? extends R> after, Ref since) {
        if (matching && clauses != Kernel.NO_MESSAGE) {
            throw nestedReceive("receive");
        }
        checkExit();
        Node prev = head;
        if (since != null && since == markRef) {
            prev = markNode;
        }
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : deadline(timeoutNanos);
        TimerWheel.Timer timer = null;
        try {
            for (;;) {
                Node node = prev.next;
                if (node == null) {
                    if (timer == null && deadline != Long.MAX_VALUE && timeoutNanos > 0) {
                        timer = kernel.timers.wake(this, deadline);
                    }
                    if (!await(prev, deadline)) {
                        dropMarker();
                        leftReceive();
                        return after.get();
                    }
                    continue;
                }
                Object message = node.message;
                if (message == null) {
                    prev = unlink(prev, node);
                    continue;
                }
                if (message instanceof Aliases.ViaAlias via) {
                    if (!kernel.aliases.isActive(via.alias())) {
                        prev = remove(prev, node);
                        continue;
                    }
                    message = via.message();
                }
                if (pendingExit != null) {
                    // Signals from one sender stay in order: an exit it sent before this message wins.
                    checkExit();
                }
                reductions++;
                R result;
                boolean outer = matching; // a sleep inside a clause leaves the clause's flag as it was
                matching = true;
                try {
                    result = clauses.match(message);
                } catch (Throwable t) {
                    matching = outer;
                    remove(prev, node);
                    dropMarker();
                    throw t;
                }
                matching = outer;
                if (result != null) {
                    remove(prev, node);
                    dropMarker();
                    leftReceive();
                    return result;
                }
                prev = node;
            }
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /**
     * A receive's clause runs before its message is removed (the clause is both pattern and body),
     * so a receive inside it would see that same message again.
     */
    IllegalStateException nestedReceive(String what) {
        return new IllegalStateException(what + " was called inside a receive clause, while the message being"
                + " matched is still in the mailbox: return a value from the clause and call " + what
                + " after the outer receive has returned");
    }

    /** Own thread: whether a receive's clauses are running. */
    boolean matching() {
        return matching;
    }

    /** A deadline on the runtime's {@link Clock}: wraps like nanoTime, never equals the "forever" mark. */
    private static long deadline(long timeoutNanos) {
        long d = Clock.now() + timeoutNanos;
        return d == Long.MAX_VALUE ? d - 1 : d;
    }

    /** Out of a receive: the memory measure (bytes since the last receive) starts again. */
    private void leftReceive() {
        Budget b = budget;
        if (b != null && b.accounted) {
            long memory = b.markReceive();
            if (b.maxHeapBytes > 0 && memory > b.maxHeapBytes) {
                heapExceeded(memory);
                checkExit();
            }
        }
    }

    /**
     * Any receive that ends clears the marker, whether it used it or not, as Erlang's does: a
     * marker left behind would keep every node queued after it reachable (24 bytes per message,
     * for good). A receive for a ref made before some other receive then simply reads from the
     * head.
     */
    private void dropMarker() {
        markRef = null;
        markNode = null;
    }

    /** Whether a receive marker is set (for tests). */
    boolean hasMarker() {
        return markNode != null;
    }

    /**
     * Waits until a message follows {@code last}; false when the deadline passes first.
     *
     * <p>No wake-up can be lost: after storing WAITING, the receiver reads the mailbox's tail, the
     * pending exit and the clock, each of which a waker changes before it reads the state. The tail
     * and not {@code last.next}: a sender links {@code last} with a release store and then reads the
     * state, and that store-then-load pair may be reordered (on x86 the store waits in the store
     * buffer), so both sides could miss each other. The sender's swap of the tail is a volatile
     * read-modify-write, so either the receiver sees the new tail or the sender sees WAITING. A
     * timer that fires just before WAITING is stored finds RUNNING and wakes no one; the clock,
     * read after the store, has then passed the deadline.
     */
    private boolean await(Node last, long deadline) {
        for (;;) {
            if (last.next != null) {
                return true;
            }
            checkExit();
            if (deadline != Long.MAX_VALUE && Clock.passed(deadline)) {
                return false;
            }
            STATE.setVolatile(this, WAITING);
            if (currentTail() != last || pendingExit != null
                    || (deadline != Long.MAX_VALUE && Clock.passed(deadline))) {
                STATE.setVolatile(this, RUNNING);
                awaitLink(last);
                continue;
            }
            Thread.interrupted(); // an interrupt must not turn park into a busy loop
            if (budget != null && budget.accounted) {
                budget.parking();
            }
            LockSupport.park(this);
            // A waker has set RUNNING already; this covers spurious wake-ups. The next WAITING
            // store is volatile, so no fence is needed here.
            STATE.setRelease(this, RUNNING);
        }
    }

    /**
     * A sender has swapped the tail but not yet linked {@code last} to its node: that takes it a
     * few instructions, unless its thread is descheduled in between, so spin, then yield.
     */
    private void awaitLink(Node last) {
        for (int spins = 0; last.next == null && currentTail() != last; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Wakes the process from a timed receive; called by the timer wheel. */
    void timeout() {
        wake();
    }

    /**
     * Own thread: removes the oldest message {@code test} accepts, if any, without waiting or
     * running user code. Safe inside a receive clause: unlinking only moves links forward, so the
     * outer receive's walk still holds.
     */
    void removeFirst(java.util.function.Predicate<Object> test) {
        Node prev = head;
        for (Node node = prev.next; node != null; node = prev.next) {
            Object message = node.message;
            if (message instanceof Aliases.ViaAlias via) {
                if (!kernel.aliases.isActive(via.alias())) {
                    prev = remove(prev, node);
                    continue;
                }
                message = via.message();
            }
            if (message != null && test.test(message)) {
                remove(prev, node);
                return;
            }
            prev = message == null ? unlink(prev, node) : node;
        }
    }

    // ---- exit (own thread) ----

    /** Own thread: runs the process's final steps once: links, monitors, name and table entry. */
    void terminate(ExitReason reason) {
        if (terminated) {
            return;
        }
        terminated = true;
        HashSet<Pid> linked;
        HashMap<Ref, Held> held;
        HashMap<Ref, Watcher> watching;
        synchronized (this) {
            STATE.setVolatile(this, EXITING);
            linked = links;
            held = monitors;
            watching = watchers;
            links = null;
            monitors = null;
            watchers = null;
        }
        kernel.names().unregisterDead(this);
        if (aliasRefs != null) {
            kernel.aliases.dropAll(this, aliasRefs);
        }
        if (held != null) {
            held.forEach((ref, h) -> kernel.signals().dropWatch(this, ref, h));
        }
        if (linked != null) {
            for (Pid other : linked) {
                kernel.signals().linkExit(pid, other, reason);
            }
        }
        if (watching != null) {
            watching.forEach((ref, w) -> kernel.signals().down(pid, w, ref, reason));
        }
        kernel.table.remove(this);
        STATE.setVolatile(this, DEAD);
    }

    String status() {
        int s = state;
        if (suspended && s < EXITING) {
            return "suspended";
        }
        return switch (s) {
            case WAITING, HIBERNATED -> "waiting";
            case EXITING -> "exiting";
            case DEAD -> "exited";
            default -> "running";
        };
    }
}

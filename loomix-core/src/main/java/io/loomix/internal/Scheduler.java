package io.loomix.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.loomix.Priority;
import io.loomix.internal.remote.IdlePoller;

/**
 * Runs processes' virtual threads on carrier threads of our own.
 *
 * <p>The JDK's default virtual-thread scheduler has no time slicing and lets yielding CPU-bound
 * threads starve threads started after them; it also knows nothing of message-passing locality.
 * This one follows Go's design: each {@link Carrier} has a FIFO run queue and a {@code runNext}
 * slot. A process woken by a process running on a carrier goes into that carrier's
 * {@code runNext}, so a receiver runs as soon as its sender blocks, on the same core, with the
 * message still in cache. Work from outside (timers, platform threads) goes to a global queue.
 * Idle carriers steal from the others' queues; while some carrier is busy, one idle carrier wakes
 * every {@link #WATCH_NANOS} to steal a {@code runNext} stuck behind a task that does not block.
 *
 * <p>Priorities: each task leads to its process in two field reads ({@link #procOf}).
 * High-priority tasks wait in a queue of their own that every carrier looks at first; low-priority
 * ones in a queue looked at when there is nothing else to do, and every
 * {@link #LOW_INTERVAL}th time a carrier picks a task, so they are slowed down but not starved.
 *
 * <p>Virtual threads get this executor through the JDK's package-private
 * {@code ThreadBuilders.VirtualThreadBuilder(Executor)} constructor (see {@link JdkHooks}), which
 * needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Without it, processes fall back to the
 * default scheduler, with a warning: everything works, but CPU-bound processes can starve others.
 *
 * <p>Input (distribution's sockets) can be polled by the carriers themselves through an
 * {@link IdlePoller}: spinning carriers poll every few looks, one idle carrier at a time waits
 * in the poller instead of parking, and the ticker polls once per tick in case every carrier is
 * busy. A process that a poll on a carrier makes runnable goes to that carrier's own queue, so
 * it runs there next with no thread woken.
 */
final class Scheduler implements Executor {
    static final long WATCH_NANOS = 1_000_000;
    /** How long an idle carrier spins for work before it parks. */
    static final long IDLE_SPIN_NANOS = Long.getLong("loomix.idleSpinNanos", 50_000);
    /** Whether an idle carrier's spin yields its CPU between looks (false: it only spins). */
    static final boolean IDLE_SPIN_YIELDS = !"false".equals(System.getProperty("loomix.idleSpinYield"));
    /** Every this many new slices a carrier looks at the global queue first (fairness). */
    static final int GLOBAL_CHECK_INTERVAL = 61;

    /** Every this many task picks, a carrier starts a new process ahead of woken ones (see Carrier.fresh). */
    static final int FRESH_INTERVAL = 31;

    /** Every this many task picks, a carrier takes a low-priority task ahead of normal ones. */
    static final int LOW_INTERVAL = 8;

    /** The most spare carriers that stand in for blocked ones at once (the JDK's own pool allows 256). */
    static final int MAX_SPARES = Integer.getInteger("loomix.maxSpareCarriers", 256);

    private static final System.Logger LOG = System.getLogger("io.loomix.scheduler");
    final Carrier[] carriers;
    private final ConcurrentLinkedQueue<Runnable> global = new ConcurrentLinkedQueue<>();
    private final CountedQueue high = new CountedQueue();
    private final CountedQueue low = new CountedQueue();
    /**
     * Tasks taken from a carrier whose thread has stopped running (see {@link #rescueFrom}): every
     * carrier looks here as it starts a new slice, before its own queue and the global one.
     */
    private final CountedQueue rescued = new CountedQueue();
    /** The most tasks one tick takes from a stopped carrier (the rest wait for the next tick). */
    private static final int RESCUE_BATCH = 256;

    /** A shared queue whose emptiness costs one read to see (the carriers look at it at every pick). */
    private static final class CountedQueue {
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicInteger count = new AtomicInteger();

        void offer(Runnable task) {
            count.incrementAndGet();
            RuntimeFaults.offer(tasks, task);
        }

        Runnable poll() {
            if (count.get() == 0) {
                return null;
            }
            Runnable task = tasks.poll();
            if (task != null) {
                count.decrementAndGet();
            }
            return task;
        }
    }
    private final ThreadFactory threads;
    /** Idle carriers parked without a timeout, i.e. not watching for stranded runNext tasks. */
    private final java.util.concurrent.atomic.AtomicInteger deepSleepers = new java.util.concurrent.atomic.AtomicInteger();
    /** Spare carriers running now (copied on change, which is rare); see {@link #addSpare}. */
    private volatile Carrier[] spares = new Carrier[0];
    private int sparesStarted;
    private boolean warnedSpareLimit;

    private final int carrierCount;
    /** Input the idle carriers poll, if installed (see {@link IdlePoller}). */
    private volatile IdlePoller poller;
    /** The one carrier waiting in {@link IdlePoller#await}, or null. */
    private final AtomicReference<Carrier> awaiter = new AtomicReference<>();

    Scheduler(int carrierCount) {
        this.carrierCount = carrierCount;
        for (String problem : JdkHooks.problems(JdkHooks.present())) {
            LOG.log(System.Logger.Level.WARNING, problem);
        }
        ThreadFactory custom = JdkHooks.virtualThreadFactory(this);
        if (custom == null) {
            carriers = new Carrier[0];
            threads = Thread.ofVirtual().factory();
            return;
        }
        threads = custom;
        carriers = new Carrier[carrierCount];
        for (int i = 0; i < carrierCount; i++) {
            carriers[i] = new Carrier(this, i, false);
        }
        for (Carrier c : carriers) {
            c.start();
        }
        Preempt.startTicker(this);
    }

    int carrierCount() {
        return carrierCount;
    }

    /** {@code true} when processes run on our carriers rather than the JDK's default scheduler. */
    boolean isCustom() {
        return carriers.length > 0;
    }

    /** See {@link io.loomix.internal.remote.RuntimeHooks#installIdlePoller}. */
    boolean installPoller(IdlePoller p) {
        if (!isCustom()) {
            return false;
        }
        poller = p;
        return true;
    }

    IdlePoller poller() {
        return poller;
    }

    /** Whether {@code c} may wait in the poller: no other carrier does. */
    boolean claimAwait(Carrier c) {
        return awaiter.compareAndSet(null, c);
    }

    void releaseAwait(Carrier c) {
        awaiter.compareAndSet(c, null);
    }

    /** Ticker: polls for input in case no carrier does (every one busy); a no-op while one awaits it. */
    void pollFromTicker() {
        IdlePoller p = poller;
        if (p != null) {
            p.pollNow();
        }
    }

    Thread newThread(Runnable body) {
        return threads.newThread(body);
    }

    /**
     * Called by the JDK whenever a virtual thread of ours becomes runnable: when it starts, when it
     * is unparked, and after it yields or its park times out.
     */
    @Override
    public void execute(Runnable task) {
        {
            Proc p = procOf(task);
            if (p != null && p.priority != Priority.NORMAL) {
                if (currentCarrier() instanceof Carrier c && Thread.currentThread() == c) {
                    c.preempted = false;
                }
                if (p.priority == Priority.HIGH) {
                    high.offer(task);
                } else {
                    low.offer(task);
                }
                wakeIdle();
                return;
            }
        }
        Carrier carrier = currentCarrier();
        if (carrier != null && carrier.scheduler == this) {
            if (Thread.currentThread() == carrier) {
                if (carrier.polling) {
                    // Made runnable by input this carrier polled, between tasks: it runs here next.
                    carrier.pushPolled(task);
                    return;
                }
                if (carrier.preempted) {
                    carrier.preempted = false;
                    if (carrier.ranFromNext() && !carrier.spare) {
                        // It ran from runNext: a chain of message hand-offs used up the slice, not this
                        // task alone. At the back of the shared queue it would wait for every CPU-bound
                        // process (100 spinners: 60 ms and more); at the back of this carrier's queue
                        // it starts a new slice after the tasks queued here. A task that really is
                        // CPU-bound comes back from that queue, not runNext, and goes to the shared one
                        // at its next preemption. Not on a spare: nobody steals from a spare's queue,
                        // and a spare that blocks next would strand the task (a preempted lock holder).
                        carrier.pushLocal(task);
                        return;
                    }
                    // A preempted task goes to the shared queue, so CPU-bound processes spread over
                    // all carriers instead of staying where they were spawned (the busy do not steal).
                    RuntimeFaults.offer(global, task);
                    wakeIdle();
                    return;
                }
                // On the carrier itself, after a yield or an unmount: to the back of the queue.
                carrier.pushLocal(task);
            } else {
                // A process running on this carrier woke another: run it next, here.
                carrier.pushNext(task);
            }
            return;
        }
        RuntimeFaults.offer(global, task);
        wakeIdle();
    }

    Runnable pollGlobal() {
        return global.poll();
    }

    Runnable pollHigh() {
        return high.poll();
    }

    Runnable pollLow() {
        return low.poll();
    }

    Runnable pollRescued() {
        return rescued.poll();
    }

    /**
     * Ticker: {@code c} has not ended its slice a whole tick after it was asked to, so its thread
     * is not running: the OS gave its core to another thread (the JIT's compiler threads, with as
     * many carriers as cores), or it blocks, or runs code without yield points. The processes woken
     * on it (its runNext and own queue) would wait for it, milliseconds, while the other carriers
     * run CPU-bound slices; here they go where every carrier looks as its next slice starts. Busy
     * carriers never steal, and an idle one takes a runNext only after a whole watch period.
     */
    void rescueFrom(Carrier c) {
        int moved = 0;
        Runnable task;
        while (moved < RESCUE_BATCH && (task = c.takeStranded()) != null) {
            rescued.offer(task);
            moved++;
        }
        if (moved > 0) {
            wakeIdleBut(c); // idle but stuck in a poll, c itself would take the wake-up and run nothing
        }
    }

    /**
     * The process whose task this is, or null: the JDK hands the executor a virtual thread's task
     * (a lambda holding the thread), and Kernel.spawn makes each process its thread's uncaught
     * exception handler, so two field reads lead from the task to the process.
     */
    static Proc procOf(Runnable task) {
        Thread t = JdkHooks.taskThread(task);
        return t == null ? null : procOfThread(t);
    }

    /** Whether {@link #procOfThread} can read a thread's process (java.lang is opened to Loomix). */
    static boolean threadsKnowTheirProcess() {
        return JdkHooks.hasUncaughtHandler();
    }

    /** The process whose thread {@code t} is, read from its uncaught-exception handler; or null. */
    static Proc procOfThread(Thread t) {
        return JdkHooks.uncaughtHandler(t) instanceof Proc p ? p : null;
    }

    /** The spare carriers running now. */
    Carrier[] spares() {
        return spares;
    }

    /**
     * Ticker: more carriers are blocked with their process mounted than spares run, and no carrier
     * is idle, so starts a spare carrier to run the queued processes meanwhile (as the JDK's own
     * scheduler compensates for a pinned thread). A process pins its carrier while it waits for
     * a class initializer another thread runs, inside native code, or, under
     * {@code -XX:-DoJVMTIVirtualThreadTransitions} (which the launcher set until it was found to
     * break preemption too), in every contended {@code monitorenter} after the carrier's first:
     * processes that contend for a monitor whose holder was preempted at a yield point then fill
     * every carrier, and without a spare the holder never runs again to release it.
     */
    synchronized void addSpare() {
        Carrier[] now = spares;
        if (now.length >= MAX_SPARES) {
            if (!warnedSpareLimit) {
                warnedSpareLimit = true;
                LOG.log(System.Logger.Level.ERROR, "Every carrier is blocked with a process mounted, and "
                        + MAX_SPARES + " spare carriers run already (loomix.maxSpareCarriers): processes"
                        + " that block while holding a Java monitor may hold up the node; see the"
                        + " README's notes on synchronized");
            }
            return;
        }
        Carrier spare = new Carrier(this, carrierCount + sparesStarted++, true);
        LOG.log(System.Logger.Level.DEBUG, () -> spare.getName() + " starts: a carrier is blocked with a process mounted");
        Carrier[] grown = java.util.Arrays.copyOf(now, now.length + 1);
        grown[now.length] = spare;
        spares = grown;
        spare.start();
    }

    /** A spare carrier that found no work for a while leaves. */
    synchronized void retire(Carrier spare) {
        Carrier[] now = spares;
        Carrier[] shrunk = new Carrier[now.length - 1];
        int k = 0;
        for (Carrier c : now) {
            if (c != spare) {
                shrunk[k++] = c;
            }
        }
        spares = shrunk;
    }

    int deepSleepers() {
        return deepSleepers.get();
    }

    void enterDeepSleep() {
        deepSleepers.incrementAndGet();
    }

    void leaveDeepSleep() {
        deepSleepers.decrementAndGet();
    }

    /** Wakes one idle carrier other than the caller, if any, to take new work. */
    void wakeIdle() {
        wakeIdleBut(Thread.currentThread());
    }

    /** Wakes an idle carrier other than {@code not} (the caller's, or one whose tasks were just rescued). */
    private void wakeIdleBut(Thread not) {
        for (Carrier c : carriers) {
            if (c != not && c.idle && c.claimWake()) {
                IdlePoller p = poller;
                if (c.awaitingPoll && p != null) {
                    p.wakeup();
                }
                // Also when it awaits the poller: one that found the poller busy parks instead (a
                // spare permit only makes a later park return at once).
                LockSupport.unpark(c);
                return;
            }
        }
    }

    /** Whether a carrier other than {@code self} is running tasks (so work may appear without a wake). */
    boolean othersBusy(Carrier self) {
        for (Carrier c : carriers) {
            if (c != self && !c.idle) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a task from another carrier's run queue. A spare looks at every carrier: a process
     * preempted from runNext waits in its carrier's own queue, and that carrier may be the one
     * blocked (see {@link #addSpare}).
     */
    Runnable steal(Carrier thief) {
        int n = carriers.length;
        for (int i = 1; i <= n; i++) {
            Carrier victim = carriers[(thief.index + i) % n];
            if (victim == thief) {
                continue;
            }
            Runnable task = victim.stealLocal();
            if (task != null) {
                return task;
            }
        }
        return null;
    }

    /**
     * Takes a runNext task from a carrier that has started no task since the thief's previous
     * watch, one watch period ago: that carrier is stuck on a task that does not block.
     */
    Runnable stealStale(Carrier thief) {
        int n = carriers.length;
        // Up to i == n, as in steal: a spare's index is past the carriers', so i < n would skip one.
        for (int i = 1; i <= n; i++) {
            Carrier victim = carriers[(thief.index + i) % n];
            if (victim == thief) {
                continue;
            }
            Runnable task = victim.stealStaleNext(thief);
            if (task != null) {
                return task;
            }
        }
        return null;
    }

    /** Whether some carrier has a live request to preempt its task. */
    boolean anyPreemptRequest() {
        for (Carrier c : carriers) {
            if (c.hasPreemptRequest()) {
                return true;
            }
        }
        for (Carrier c : spares) {
            if (c.hasPreemptRequest()) {
                return true;
            }
        }
        return false;
    }

    /** The carrier the caller runs on, or null (a platform thread, or a virtual thread of another scheduler). */
    static Carrier currentCarrierOrNull() {
        return JdkHooks.hasCurrentCarrier() ? currentCarrier() : null;
    }

    private static Carrier currentCarrier() {
        return JdkHooks.currentCarrierThread() instanceof Carrier c ? c : null;
    }
}

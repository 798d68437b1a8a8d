package io.loomix.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import io.loomix.internal.remote.IdlePoller;

/**
 * One OS thread that runs processes' virtual threads. Only this thread pushes to its queues;
 * any carrier may take from them (stealing). See {@link Scheduler} for the policy.
 */
final class Carrier extends Thread {
    private static final VarHandle NEXT;
    private static final VarHandle TASKS_RUN;
    private static final VarHandle SLICES;
    private static final VarHandle IDLE;
    private static final VarHandle PREEMPT_AT;
    private static final VarHandle ACCOUNTEE;
    private static final VarHandle IN_TASK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(Carrier.class, "runNext", Runnable.class);
            TASKS_RUN = l.findVarHandle(Carrier.class, "tasksRun", long.class);
            SLICES = l.findVarHandle(Carrier.class, "slices", long.class);
            IDLE = l.findVarHandle(Carrier.class, "idle", boolean.class);
            PREEMPT_AT = l.findVarHandle(Carrier.class, "preemptAt", long.class);
            ACCOUNTEE = l.findVarHandle(Carrier.class, "accountee", Proc.class);
            IN_TASK = l.findVarHandle(Carrier.class, "inTask", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Scheduler scheduler;
    final int index;
    /**
     * A carrier started to stand in for carriers blocked with a process mounted (see
     * {@link Scheduler#addSpare}); it retires once it has found no work for {@link #SPARE_IDLE_WATCHES}
     * watch periods in a row.
     */
    final boolean spare;
    /** How many idle watch periods in a row make a spare carrier retire. */
    static final int SPARE_IDLE_WATCHES = 20;
    /** Ticker only: the slice count at its previous tick. */
    long tickerSeen;
    /** Polls begun by this carrier (written by it, read by the ticker); with {@link #tickerSeenPoll}, a poll that outlasts a tick. */
    volatile long pollsBegun;
    /** Ticker only: {@link #pollsBegun} at the last tick. */
    long tickerSeenPoll;
    /**
     * Carrier thread only (the ticker reads it as a moment's picture): a task runs now. Tells a
     * carrier blocked inside a task from one parked between tasks that is yet to wake.
     */
    private boolean inTask;
    /** Ticker only: how many ticks in a row found this carrier blocked on one task. */
    int blockedTicks;
    private final ConcurrentLinkedQueue<Runnable> local = new ConcurrentLinkedQueue<>();
    /**
     * New processes that have not run yet, looked at after {@link #local}: a process woken by a
     * message must not wait behind a batch of processes just spawned, which may each use a whole
     * slice (100 CPU-bound spawns put a ping-pong pair 50 slices back on two carriers). Spawns are
     * not starved: every other slice that ends, and every {@link Scheduler#FRESH_INTERVAL}th pick,
     * takes one from here first.
     */
    private final ConcurrentLinkedQueue<Runnable> fresh = new ConcurrentLinkedQueue<>();
    /** The task to run next; taken by thieves only when it has waited a whole watch period. */
    @SuppressWarnings("unused") // accessed through NEXT
    private volatile Runnable runNext;
    /** Tasks started so far; a thief that sees it unchanged knows this carrier is stuck on one. */
    @SuppressWarnings("unused") // accessed through TASKS_RUN
    private long tasksRun;
    /**
     * Time slices started so far: a task taken from runNext continues the slice of the task that
     * woke it (Go's rule), so a pair of processes that talk to each other shares one slice and is
     * preempted as one. The ticker sees a slice that has lasted a whole period by this count.
     */
    @SuppressWarnings("unused") // accessed through SLICES
    private long slices;
    /**
     * The task count when the ticker asked the running task to yield (see {@link Preempt}); a
     * request whose count is not the current one is stale. -1: none.
     */
    @SuppressWarnings("unused") // accessed through PREEMPT_AT
    private volatile long preemptAt = -1;
    /** Set while parked for want of work; cleared by whoever wakes it. */
    volatile boolean idle;
    /** Set while this idle carrier waits in the poller (see {@link #rest}): a waker wakes the poller. */
    volatile boolean awaitingPoll;
    /** Carrier thread only: a poll runs on it now, between tasks (see {@link Scheduler#execute}). */
    boolean polling;
    /** Carrier thread only: tasks the running poll has made runnable here. */
    private int polledTasks;
    /** The accounted process running now, if any: the ticker checks its heap limit mid-slice. */
    @SuppressWarnings("unused") // accessed through ACCOUNTEE
    private Proc accountee;

    /** The process-table slots freed on this carrier, reused first by spawns on it. */
    final ProcTable.FreeSlots freeSlots = new ProcTable.FreeSlots();
    /** Carrier thread only: set by a task that yields because its slice is over (see Scheduler.execute). */
    boolean preempted;
    /** Carrier thread only: the last task came from runNext. */
    private boolean fromNext;
    /** Carrier thread only: the running slice was preempted; its runNext task must not extend it. */
    private boolean sliceOver;
    /** Carrier thread only: the last slice to end gave its turn to a new process from {@link #fresh}. */
    private boolean freshTurn;
    private int tick;
    /** Per victim, the victim's tasksRun when this carrier last looked, to spot a stuck runNext. */
    private final long[] seenTasks;

    Carrier(Scheduler scheduler, int index, boolean spare) {
        super("loomix-carrier-" + index + (spare ? "-spare" : ""));
        this.scheduler = scheduler;
        this.index = index;
        this.spare = spare;
        this.seenTasks = new long[scheduler.carrierCount()];
        setDaemon(true);
    }

    /** Carrier thread only: the running task was taken from runNext, inside another's slice. */
    boolean ranFromNext() {
        return fromNext;
    }

    void pushNext(Runnable task) {
        Runnable displaced = (Runnable) NEXT.getAndSet(this, task);
        if (displaced != null) {
            queueBehind(displaced);
            scheduler.wakeIdle();
        } else if (scheduler.deepSleepers() > 0) {
            // Nobody watches this carrier: wake one so the task cannot be stranded behind a busy one.
            scheduler.wakeIdle();
        }
    }

    /**
     * Carrier thread only, while it polls: the first task a poll makes runnable waits here for
     * this carrier, which runs it as soon as the poll returns (no wake-up); from the second on,
     * an idle carrier is woken to share them.
     */
    void pushPolled(Runnable task) {
        RuntimeFaults.offer(local, task);
        if (++polledTasks > 1) {
            scheduler.wakeIdle();
        }
    }

    void pushLocal(Runnable task) {
        RuntimeFaults.offer(local, task);
        scheduler.wakeIdle();
    }

    /** Carrier thread only: queues a task that leaves runNext, in {@link #fresh} if it has never run. */
    private void queueBehind(Runnable task) {
        Proc p = Scheduler.procOf(task);
        RuntimeFaults.offer(p != null && !p.started ? fresh : local, task);
    }

    Runnable stealLocal() {
        Runnable task = local.poll();
        return task != null ? task : fresh.poll();
    }

    /** Whether processes wait in this carrier's own queue or runNext (a moment's picture, for the ticker). */
    boolean hasQueued() {
        return runNext != null || !local.isEmpty();
    }

    /**
     * Ticker, for a carrier whose thread has stopped (see {@link Scheduler#rescueFrom}): its own
     * queue's tasks in order, then its runNext task (which, with the slice over, would go behind them).
     */
    Runnable takeStranded() {
        Runnable task = local.poll();
        return task != null ? task : (Runnable) NEXT.getAndSet(this, null);
    }

    Runnable stealStaleNext(Carrier thief) {
        long now = (long) TASKS_RUN.getOpaque(this);
        long seen = thief.seenTasks[index];
        thief.seenTasks[index] = now;
        if (seen != now || runNext == null) {
            return null;
        }
        return (Runnable) NEXT.getAndSet(this, null);
    }

    long slices() {
        return (long) SLICES.getOpaque(this);
    }

    /** Ticker: asks the slice started as number {@code slice} to end at its next yield point. */
    void requestPreempt(long slice) {
        PREEMPT_AT.setOpaque(this, slice);
    }

    boolean hasPreemptRequest() {
        long at = (long) PREEMPT_AT.getOpaque(this);
        return at >= 0 && at == slices();
    }

    /**
     * The running task, at a yield point: whether its slice is over (the request is then taken,
     * and the runNext task, if any, starts no later than the tasks queued before it).
     */
    boolean takePreemptRequest() {
        long at = (long) PREEMPT_AT.getOpaque(this);
        if (at >= 0 && at == slices() && PREEMPT_AT.compareAndSet(this, at, -1L)) {
            sliceOver = true;
            return true;
        }
        return false;
    }

    boolean claimWake() {
        return IDLE.compareAndSet(this, true, false);
    }

    @Override
    public void run() {
        // The allocation counter as the last slice of an accounted process ended, while no other
        // task has run since: the next accounted slice starts from it instead of reading it again.
        long counter = -1;
        int idleWatches = 0;
        while (true) { // a daemon thread: carriers live as long as the JVM, like the runtime
            try {
                Runnable task = findWork();
                if (task == null) {
                    counter = -1;
                    if (!spare) {
                        task = idle();
                    } else if (++idleWatches > SPARE_IDLE_WATCHES) {
                        // Only this thread pushes to its queues, and they are empty: nothing is stranded.
                        scheduler.retire(this);
                        return;
                    } else {
                        task = spareIdle();
                    }
                }
                if (task != null) {
                    idleWatches = 0;
                    inTask = true;
                    counter = runTask(task, counter);
                    inTask = false;
                }
            } catch (Throwable t) {
                // An OutOfMemoryError here (ours, or a task's that escaped it) must not take the
                // carrier with it: the node would be a carrier short for good.
                counter = -1;
                inTask = false;
                RuntimeFaults.survive(getName(), t);
            }
        }
    }

    /** Runs one task; returns the allocation counter as {@link #runAccounted} does. */
    private long runTask(Runnable task, long counter) {
        TASKS_RUN.setOpaque(this, (long) TASKS_RUN.getOpaque(this) + 1);
        if (!fromNext) {
            SLICES.setOpaque(this, (long) SLICES.getOpaque(this) + 1);
        }
        Proc proc = Scheduler.procOf(task);
        if (proc != null && !proc.started) {
            proc.started = true;
        }
        if (proc != null && proc.exitPending()) {
            // Killed while runnable: its first yield point in this slice ends it, even if
            // it yields so often that no ticker request would ever find it running.
            requestPreempt(slices());
            Preempt.raise();
        }
        if (proc != null && proc.budget != null && proc.budget.accounted) {
            return runAccounted(task, proc, counter);
        }
        task.run();
        return -1;
    }

    /**
     * Runs a slice of an accounted process, charging it what this thread allocated meanwhile.
     * {@code counter} is this thread's allocation counter if it was just read, else -1; returns
     * the counter at the slice's end.
     */
    private long runAccounted(Runnable task, Proc proc, long counter) {
        Budget budget = proc.budget;
        long start = counter >= 0 ? counter : Budget.currentCounter();
        int slice = budget.beginSlice(this, start);
        ACCOUNTEE.setRelease(this, proc); // a release store: a volatile one costs a fence per slice
        long end;
        try {
            task.run();
        } finally {
            ACCOUNTEE.setRelease(this, (Proc) null);
            end = Budget.currentCounter();
            long memory = budget.endSlice(slice, start, end);
            if (budget.maxHeapBytes > 0 && memory > budget.maxHeapBytes) {
                proc.heapExceeded(memory);
            }
        }
        return end;
    }

    /** The accounted process running now, if any: for the ticker, as a moment's picture. */
    Proc accountee() {
        return (Proc) ACCOUNTEE.getAcquire(this);
    }

    private Runnable findWork() {
        Runnable task;
        fromNext = false;
        if ((task = scheduler.pollHigh()) != null) {
            return task;
        }
        // A runNext task that continues the running slice goes first: the queues wait for the slice's end.
        if (runNext != null && !sliceOver && !hasPreemptRequest()) {
            task = (Runnable) NEXT.getAndSet(this, null);
            if (task != null) {
                fromNext = true;
                return task;
            }
        }
        // Here, not before runNext: a pair that hands messages back and forth keeps its slice.
        if ((task = scheduler.pollRescued()) != null) {
            if (sliceOver || hasPreemptRequest()) {
                // As below: the ended slice's runNext task must not extend the rescued one's slice.
                Runnable next = (Runnable) NEXT.getAndSet(this, null);
                if (next != null) {
                    queueBehind(next);
                }
            }
            sliceOver = false;
            return task;
        }
        if (++tick % Scheduler.GLOBAL_CHECK_INTERVAL == 0 && (task = scheduler.pollGlobal()) != null) {
            return task;
        }
        if (tick % Scheduler.LOW_INTERVAL == 0 && (task = scheduler.pollLow()) != null) {
            return task;
        }
        // A slice that ends starts one new process (not two in a row: the next one goes to the
        // woken ones), so spawns wait a slice each at most while woken work keeps this carrier busy.
        boolean turn = tick % Scheduler.FRESH_INTERVAL == 0 || (sliceOver || hasPreemptRequest()) && !freshTurn;
        if (turn && (task = fresh.poll()) != null) {
            freshTurn = true;
            sliceOver = false;
            return task;
        }
        freshTurn = false;
        if (runNext != null) {
            boolean over = sliceOver || hasPreemptRequest();
            if (!over || local.isEmpty()) {
                task = (Runnable) NEXT.getAndSet(this, null);
                if (task != null) {
                    // Continues the slice, unless that is over and nothing else waits: a new one.
                    fromNext = !over;
                    sliceOver = false;
                    return task;
                }
            } else {
                // The slice is over: the queue gets its turn, the runNext task waits at the back.
                Runnable next = (Runnable) NEXT.getAndSet(this, null);
                if (next != null) {
                    queueBehind(next);
                }
            }
        }
        sliceOver = false;
        if ((task = local.poll()) != null || (task = fresh.poll()) != null) {
            return task;
        }
        if ((task = scheduler.pollGlobal()) != null) {
            return task;
        }
        if ((task = scheduler.steal(this)) != null) {
            return task;
        }
        return scheduler.pollLow();
    }

    /**
     * A spare carrier between tasks: nobody wakes it (it is not in the scheduler's array), so it
     * looks again every watch period, as a watching idle carrier does.
     */
    private Runnable spareIdle() {
        idle = true;
        LockSupport.parkNanos(this, Scheduler.WATCH_NANOS);
        idle = false;
        return scheduler.stealStale(this);
    }

    /**
     * Whether this carrier's OS thread is blocked or parked with a task mounted: a process pinned
     * to it (see {@link Scheduler#addSpare} for when that happens), so it runs nothing else.
     * Ticker only, for a carrier that has run the same task for a whole period.
     */
    boolean blockedWithTask() {
        if (idle || !(boolean) IN_TASK.getOpaque(this)) {
            return false;
        }
        State s = getState();
        return s == State.BLOCKED || s == State.WAITING || s == State.TIMED_WAITING;
    }

    /**
     * Spins for a short while looking for work (BEAM's schedulers spin too: a task that appears
     * within microseconds starts without a park and an unpark), then parks until woken (or, while
     * others are busy, for one watch period) and looks again.
     */
    private Runnable idle() {
        idle = true;
        // Work pushed before `idle` became visible would otherwise be missed until the next wake.
        long spinUntil = System.nanoTime() + Scheduler.IDLE_SPIN_NANOS;
        int spins = 0;
        do {
            Runnable task = findWork();
            if (task != null) {
                IDLE.compareAndSet(this, true, false);
                return task;
            }
            if ((spins & 63) == 0 && pollNow()) {
                // Input came: what it made runnable is in this carrier's queue.
                task = findWork();
                if (task != null) {
                    IDLE.compareAndSet(this, true, false);
                    return task;
                }
            }
            if (Scheduler.IDLE_SPIN_YIELDS && (spins & 63) == 63) {
                // A thread that needs a CPU (a dist reader or writer, another JVM's carrier) gets
                // ours: with more threads than cores, spinning through their time slice doubled
                // dist_spawn's and dist_call's time (docs/notes/distperf.md).
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        } while ((++spins & 63) != 0 || System.nanoTime() - spinUntil < 0);
        if (!scheduler.othersBusy(this)) {
            // Counted before the re-check, so a carrier that turns busy meanwhile sees us and wakes us.
            scheduler.enterDeepSleep();
            try {
                if (!scheduler.othersBusy(this)) {
                    rest(0);
                    IDLE.compareAndSet(this, true, false);
                    return null;
                }
            } finally {
                scheduler.leaveDeepSleep();
            }
        }
        rest(Scheduler.WATCH_NANOS);
        boolean woken = !IDLE.compareAndSet(this, true, false);
        return woken ? null : scheduler.stealStale(this);
    }

    /** Polls the installed poller once, without waiting; whether it handled any input. */
    private boolean pollNow() {
        IdlePoller p = scheduler.poller();
        if (p == null) {
            return false;
        }
        polling = true;
        polledTasks = 0;
        pollsBegun++;
        try {
            return p.pollNow();
        } finally {
            polling = false;
        }
    }

    /**
     * Parks for {@code nanos} (0: until woken), or, if no other carrier does, waits in the
     * poller for the same time: input then wakes this carrier and is handled here, and a waker
     * ({@link Scheduler#wakeIdle}) wakes the poller.
     */
    private void rest(long nanos) {
        IdlePoller p = scheduler.poller();
        if (p != null && scheduler.claimAwait(this)) {
            awaitingPoll = true;
            try {
                // After publishing awaitingPoll: a waker that claimed us before it saw it unparks only.
                if (!idle) {
                    return;
                }
                polling = true;
                polledTasks = 0;
                pollsBegun++;
                try {
                    if (p.await(nanos)) {
                        return;
                    }
                } finally {
                    polling = false;
                }
            } finally {
                awaitingPoll = false;
                scheduler.releaseAwait(this);
            }
        }
        if (!idle) {
            // Claimed meanwhile: its waker's unpark may have been used up by a park inside the
            // poll (a lock's timed wait), so it must not be waited for.
            return;
        }
        if (nanos == 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, nanos);
        }
    }
}

package io.loomix.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Timers for receive timeouts and {@code sendAfter}: a hashed wheel of 1 ms ticks run by one
 * daemon thread. Starting and cancelling a timer are O(1) and lock-free for the caller (a push
 * onto an intrusive stack); the wheel thread files, unlinks and fires them. A timer never fires
 * before its deadline. Cancelled timers are unlinked at once, so timed receives that are answered
 * early (a call's reply) leave nothing behind.
 *
 * <p>Time is the runtime's {@link Clock}. Under manual time the thread does not tick: each turn
 * (one when a timer is started or cancelled, one for each {@link #pendingAfterTurn} that
 * {@code Clock.advance} asks for) fires every timer whose deadline has come, in deadline order and,
 * for equal deadlines, in the order they were started.
 */
final class TimerWheel {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int WHEEL_SIZE = 4096;
    private static final int PENDING = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;
    /** The tick of a timer too far away to fire while this JVM runs: filed, never swept. */
    private static final long NEVER = Long.MAX_VALUE;
    private static final VarHandle TIMER_STATE;
    /** How long a caller waits for a turn of the wheel thread before saying it is stuck. */
    private static final long TURN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Deadlines compared by difference, as they wrap like nanoTime; then start order. */
    private static final Comparator<Timer> BY_DUE = (a, b) -> {
        int byDeadline = Long.signum(a.deadline - b.deadline);
        return byDeadline != 0 ? byDeadline : Long.compare(a.seq, b.seq);
    };

    static {
        try {
            TIMER_STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a timer does when it fires. */
    interface Action {
        void fire();
    }

    final class Timer {
        final long deadline;
        final Action action;
        @SuppressWarnings("unused") // accessed through TIMER_STATE
        private volatile int state;
        // Owned by the wheel thread.
        private long tick = -1;
        private Timer prev;
        private Timer next;
        /**
         * Links in the two intake stacks. Separate, because a timer can sit in both at once
         * (cancelled before the wheel thread filed it): one shared link would cut the other stack.
         */
        private Timer nextAdded;
        private Timer nextCancelled;
        /** Wheel thread only: the next timer whose action is to be retried (see fireAction). */
        private Timer nextRetry;
        /** Wheel thread only: start order, for timers with equal deadlines under manual time. */
        private long seq;

        Timer(long deadline, Action action) {
            this.deadline = deadline;
            this.action = action;
        }

        /** Cancels the timer; false if it already fired (or was cancelled). */
        boolean cancel() {
            if (!TIMER_STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            Timer top;
            do {
                top = cancelled.get();
                nextCancelled = top;
            } while (!cancelled.compareAndSet(top, this));
            return true;
        }
    }

    private final Timer[] buckets = new Timer[WHEEL_SIZE];
    private final AtomicReference<Timer> added = new AtomicReference<>();
    private final AtomicReference<Timer> cancelled = new AtomicReference<>();
    private final long origin = Clock.now();
    private final Thread thread;
    private volatile boolean sleeping;
    private long currentTick;
    private long filed;
    /** Wheel thread only: the start order given to the next timer filed. */
    private long nextSeq;
    /**
     * Wheel thread only, manual time: the now of the last sweep, and whether a timer filed since
     * is due already (a zero delay). Without either, nothing can be due: the turns that starting
     * timers cause need not look through every bucket.
     */
    private long sweptAt;
    private boolean dueOnFiling;
    /** Turns asked for by {@link #pendingAfterTurn}; a turn answers the requests made before it began. */
    private final AtomicLong turnsAsked = new AtomicLong();
    private final Object turnLock = new Object();
    /** Guarded by turnLock (written by the wheel thread only): the last request answered, and the pending count then. */
    private long answered;
    private long answeredPending;
    /** Wheel thread only: timers fired whose action ran out of memory, retried at the next turn. */
    private Timer retries;
    /** Wheel thread only: the last of {@link #retries}, so that they fire again in the order they failed. */
    private Timer lastRetry;
    /**
     * Wheel thread only: an action ran out of memory in this turn. The timers due after it in the
     * same turn go straight to the retries, and the thread backs off once at the turn's end: a
     * back-off per timer (2,000 due at once) kept the retries from running for seconds after
     * memory was free again, and the scenario that checks it saw none fire in 5 s.
     */
    private OutOfMemoryError shortOfMemory;

    TimerWheel() {
        thread = Thread.ofPlatform().daemon().name("loomix-timers").unstarted(this::run);
        thread.start();
    }

    /** Starts a timer that runs {@code action} at or after {@code deadline} (System.nanoTime). */
    Timer start(long deadline, Action action) {
        Timer timer = new Timer(deadline, action);
        Timer top;
        do {
            top = added.get();
            timer.nextAdded = top;
        } while (!added.compareAndSet(top, timer));
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return timer;
    }

    /** A timer that wakes a process waiting in a timed receive. */
    Timer wake(Proc proc, long deadline) {
        return start(deadline, proc::timeout);
    }

    /** Nanoseconds until {@code timer} fires (negative if overdue); exact for any delay below 2^63 ns. */
    static long remaining(Timer timer) {
        return timer.deadline - Clock.now();
    }

    /** Whether {@code timer} has neither fired nor been cancelled. */
    static boolean pending(Timer timer) {
        return timer.state == PENDING;
    }

    /** Timers filed and not yet fired or cancelled, as the wheel thread last counted. */
    long pending() {
        return filed;
    }

    /**
     * Waits for a turn of the wheel thread that begins after this call (it files and unlinks what
     * callers started and cancelled before, and fires what is due by the clock's now), and
     * returns the number of timers pending at its end. Not on the wheel thread.
     */
    long pendingAfterTurn() {
        long ticket = turnsAsked.incrementAndGet();
        LockSupport.unpark(thread);
        long limit = System.nanoTime() + TURN_LIMIT_NANOS;
        synchronized (turnLock) {
            while (answered - ticket < 0) {
                long left = limit - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the timer thread did not finish a turn within 10 s;"
                            + " a thread dump shows where loomix-timers is");
                }
                try {
                    turnLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the timer thread's turn", e);
                }
            }
            return answeredPending;
        }
    }

    boolean isTimerThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        for (;;) {
            try {
                turn();
            } catch (Throwable t) {
                // Without this thread no timer would fire again: it goes on (see RuntimeFaults).
                RuntimeFaults.survive("loomix-timers", t);
            }
        }
    }

    /** Files and unlinks what callers pushed, fires what is due, and sleeps until the next tick. */
    private void turn() {
        long request = turnsAsked.get(); // before the clock: a request's advance is seen
        boolean manualTime = Clock.manual();
        long now = Clock.now();
        long nowTick = (now - origin) / TICK_NANOS;
        shortOfMemory = null;
        retryFailed();
        fileAdded(now);
        unlinkCancelled();
        if (manualTime && (now != sweptAt || dueOnFiling)) {
            sweptAt = now;
            dueOnFiling = false;
            fireDue(now);
            // Filed deadlines are all past now, so their ticks are past nowTick: real time resumes from here.
            currentTick = Math.max(currentTick, nowTick);
        } else if (!manualTime) {
            while (currentTick < nowTick) {
                currentTick++;
                fireBucket(currentTick);
            }
        }
        if (shortOfMemory != null) {
            RuntimeFaults.survive("loomix-timers", shortOfMemory);
        }
        if (request != answered) {
            answer(request);
        }
        if ((filed == 0 || manualTime) && retries == null) {
            // Manual time does not tick: only a new timer, a cancel or a request for a turn wakes it.
            sleeping = true;
            if (added.get() == null && cancelled.get() == null && turnsAsked.get() == request) {
                LockSupport.park(this);
            }
            sleeping = false;
        } else {
            long nextTickAt = origin + (currentTick + 1) * TICK_NANOS;
            LockSupport.parkNanos(this, Math.max(1, nextTickAt - Clock.now()));
        }
    }

    private void answer(long request) {
        long pending = filed;
        for (Timer t = retries; t != null; t = t.nextRetry) {
            pending++;
        }
        synchronized (turnLock) {
            answered = request;
            answeredPending = pending;
            turnLock.notifyAll();
        }
    }

    /** Manual time: fires every filed timer whose deadline has come, in deadline and then start order. */
    private void fireDue(long now) {
        ArrayList<Timer> due = new ArrayList<>();
        for (Timer head : buckets) {
            for (Timer t = head; t != null; t = t.next) {
                if (t.deadline - now <= 0) {
                    due.add(t);
                }
            }
        }
        due.sort(BY_DUE);
        for (Timer t : due) {
            unlink(t);
            fire(t);
        }
    }

    private void fileAdded(long now) {
        Timer newest = added.getAndSet(null);
        long count = 0;
        for (Timer t = newest; t != null; t = t.nextAdded) {
            count++;
        }
        // The stack holds the newest first: number them back to front, so that seq is start order.
        long seq = nextSeq + count;
        nextSeq = seq;
        for (Timer t = newest; t != null; ) {
            Timer next = t.nextAdded;
            t.nextAdded = null;
            t.seq = --seq;
            if (t.state == PENDING) {
                dueOnFiling |= t.deadline - now <= 0;
                // Even an overdue timer is only filed: the tick-ordered sweep that follows fires it,
                // so it cannot overtake an older overdue timer (timers fire in deadline order, to
                // the tick). A tick at or before nowTick holds only deadlines that have passed.
                link(t, Math.max(tickOf(t.deadline, now), currentTick + 1));
            }
            t = next;
        }
    }

    /**
     * The tick at which a deadline has passed. Deadlines wrap around like nanoTime, so only
     * {@code deadline - now} is exact (a delay is below 2^63 ns); a deadline further from the
     * origin than a long can count is never reached while the JVM runs.
     */
    private long tickOf(long deadline, long now) {
        long ahead = deadline - now;
        long sinceOrigin = now - origin;
        if (ahead > 0 && ahead > Long.MAX_VALUE - sinceOrigin) {
            return NEVER;
        }
        return Math.ceilDiv(sinceOrigin + ahead, TICK_NANOS);
    }

    private void unlinkCancelled() {
        for (Timer t = cancelled.getAndSet(null); t != null; ) {
            Timer next = t.nextCancelled;
            t.nextCancelled = null;
            if (t.tick >= 0) {
                unlink(t);
            }
            t = next;
        }
    }

    private void fireBucket(long tick) {
        int index = (int) (tick & (WHEEL_SIZE - 1));
        for (Timer t = buckets[index]; t != null; ) {
            Timer next = t.next;
            if (t.tick <= tick) {
                unlink(t);
                fire(t);
            }
            t = next;
        }
    }

    private void fire(Timer t) {
        if (TIMER_STATE.compareAndSet(t, PENDING, FIRED)) {
            fireAction(t);
        }
    }

    private void fireAction(Timer t) {
        if (shortOfMemory != null) {
            retryLater(t);
            return;
        }
        try {
            t.action.fire();
        } catch (OutOfMemoryError e) {
            // The actions (wake a process, deliver a message) fail at their first allocation,
            // before they have any effect: the timer fires again at a later turn, not never.
            retryLater(t);
            shortOfMemory = e;
        } catch (RuntimeException | Error e) {
            try {
                System.getLogger("io.loomix.timers").log(System.Logger.Level.ERROR, "timer action failed", e);
            } catch (Throwable ignored) {
                // The timer thread goes on regardless.
            }
        }
    }

    private void retryLater(Timer t) {
        t.nextRetry = null;
        if (retries == null) {
            retries = t;
        } else {
            lastRetry.nextRetry = t;
        }
        lastRetry = t;
    }

    /** Fires again, in the order they failed, the timers whose action ran out of memory. */
    private void retryFailed() {
        Timer t = retries;
        retries = null;
        lastRetry = null;
        while (t != null) {
            Timer next = t.nextRetry;
            fireAction(t);
            t = next;
        }
    }

    private void link(Timer t, long tick) {
        int index = (int) (tick & (WHEEL_SIZE - 1));
        t.tick = tick;
        t.prev = null;
        t.next = buckets[index];
        if (t.next != null) {
            t.next.prev = t;
        }
        buckets[index] = t;
        filed++;
    }

    private void unlink(Timer t) {
        int index = (int) (t.tick & (WHEEL_SIZE - 1));
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            buckets[index] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.tick = -1;
        filed--;
    }
}

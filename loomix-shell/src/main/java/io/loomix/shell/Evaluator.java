package io.loomix.shell;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The shell process: a long-lived Loomix process that runs every snippet, so {@code self()} is the
 * same pid from one snippet to the next and messages sent to it wait in its mailbox. Snippets come
 * through a Java queue, announced by a {@code Wake} message that the process takes before it runs
 * the snippet, so {@code receive} and {@code flush} in a snippet see only what others sent. Between
 * snippets it waits in a receive, like any idle process (so the code server can read its stack).
 *
 * <p>If a snippet makes the process exit ({@code exit(reason)}, a linked process crashing, a kill,
 * an interrupt that had to kill it), the snippet fails with {@link Died} and a new shell process
 * takes over, with a new pid and an empty mailbox, as Erlang's shell starts a new evaluator.
 */
final class Evaluator {
    /** The shell process ended while (or before) running a snippet. */
    static final class Died extends RuntimeException {
        final Pid pid;
        final ExitReason reason;

        Died(Pid pid, ExitReason reason) {
            super("the shell process " + pid + " exited: " + reason, null, false, false);
            this.pid = pid;
            this.reason = reason;
        }
    }

    private record Job(Method doit, CompletableFuture<Object> result) {}

    /** "A job is queued": one per job, taken before the job runs. */
    private record Wake() {}

    /** One shell process and the queue it takes snippets from. */
    private record Incarnation(Pid pid, LinkedBlockingQueue<Job> jobs) {}

    private final Consumer<String> notices;
    private volatile Incarnation current;
    private volatile Job running;
    /** Set when the last snippet was stopped by Ctrl-C (JShell reports that as no result at all). */
    volatile boolean stopped;
    /** Ctrl-C was pressed during the current input. */
    volatile boolean interrupt;
    private volatile boolean closed;

    /** @param notices where to say that a new shell process took over */
    Evaluator(Consumer<String> notices) {
        this.notices = notices;
        this.current = start();
    }

    Pid pid() {
        return current.pid();
    }

    /**
     * Starts a shell process and a watcher that, when it exits, fails the snippet it was running
     * and starts the next one: the notice comes at once, even between snippets (when a linked
     * process crashed, say), as the Erlang shell reports it.
     */
    private Incarnation start() {
        LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
        Pid pid = Process.spawn(() -> serve(jobs));
        Incarnation inc = new Incarnation(pid, jobs);
        Process.spawn(() -> {
            Ref ref = Process.monitor(pid);
            Down down = Process.receive(msg -> msg instanceof Down d && d.ref().equals(ref) ? d : null);
            if (closed) {
                return;
            }
            Incarnation next = start();
            current = next; // before the failed snippet returns, so the next one finds its successor
            Job job = running;
            if (job != null) {
                job.result().completeExceptionally(new Died(pid, down.reason()));
            }
            notices.accept("** the shell process " + pid + " exited: " + down.reason()
                    + "; the new shell process is " + next.pid());
        });
        return inc;
    }

    /**
     * Runs {@code doit} (a static method without parameters) in the shell process and returns
     * its result. Throws what it threw, wrapped in {@link InvocationTargetException} as a
     * reflective call does, or {@link Died}.
     */
    Object run(Method doit) throws InvocationTargetException, InterruptedException {
        Job job = new Job(doit, new CompletableFuture<>());
        running = job;
        try {
            Incarnation inc = current;
            inc.jobs().put(job);
            Process.send(inc.pid(), new Wake());
            while (true) {
                try {
                    return job.result().get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (inc != current && inc.jobs().remove(job)) {
                        // Its process died before taking it (between two snippets): the next one runs it.
                        inc = current;
                        inc.jobs().put(job);
                        Process.send(inc.pid(), new Wake());
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException ite) {
                throw ite;
            }
            if (cause instanceof Died died) {
                throw died;
            }
            throw new InvocationTargetException(cause);
        } finally {
            running = null;
        }
    }

    /**
     * Interrupts the running snippet the hard way: kills the shell process (a snippet blocked in
     * receive cannot be stopped otherwise); {@link #run} then throws {@link Died}.
     */
    void kill() {
        if (running != null) {
            Process.exit(current.pid(), ExitReason.KILL);
        }
    }

    boolean busy() {
        return running != null;
    }

    /** Ends the shell process for good (the shell is closing): no successor starts. */
    void close() {
        closed = true;
        Process.exit(current.pid(), ExitReason.KILL);
    }

    private static void serve(LinkedBlockingQueue<Job> jobs) {
        while (true) {
            Process.receive(m -> m instanceof Wake ? m : null);
            Job job = jobs.poll();
            if (job == null) {
                continue; // taken over by a successor while this one was dying
            }
            try {
                job.result().complete(job.doit().invoke(null));
            } catch (InvocationTargetException e) {
                ExitReason reason = Process.exitReasonOf(e.getCause());
                if (reason instanceof ExitReason.Crash(Throwable error) && error == e.getCause()) {
                    // An ordinary exception: the snippet failed, the process lives on.
                    job.result().completeExceptionally(e);
                } else {
                    job.result().completeExceptionally(new Died(Process.self(), reason));
                    throw (RuntimeException) sneaky(e.getCause());
                }
            } catch (IllegalAccessException e) {
                job.result().completeExceptionally(new InvocationTargetException(e));
            } catch (Error e) {
                // An exit signal that reached the process between the snippet's own steps.
                job.result().completeExceptionally(new Died(Process.self(), Process.exitReasonOf(e)));
                throw e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}

package io.loomix.testkit;

import io.loomix.Clauses;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.ProcessInfo;
import io.loomix.Ref;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Assertions on the calling process's mailbox, each with a timeout: a test that waits for what it
 * expects, and fails saying what it got instead. Use it inside a process (a test run by
 * {@link ProcessExtension}, or a body given to {@link Process#run}); the pid to hand to the code
 * under test is {@link Process#self()}.
 *
 * {@snippet :
 * Probe probe = Probe.create();
 * send(server, new Ping(self()));
 * probe.expectMessage(new Pong());
 * probe.expectNoMessage(Duration.ofMillis(50));
 * }
 *
 * <p>Two kinds of expectation: {@code expectMessage} and {@code expectNoMessage} look at the
 * <em>next</em> message, in order, so an unexpected message fails the test (as Pekko's TestProbe);
 * {@code expectDown}, {@code expectExit} and {@code expectReceive} pick out the one message they
 * name and leave the others queued (Erlang's selective receive). {@code fishForMessage} drops
 * messages until one matches.
 *
 * <p>A probe is an immutable value: it holds only its timeout, so one can be kept in a field.
 *
 * <p>Its waits are in real time, also under {@link ManualClock}: manual time moves the code
 * under test's timers, not the test's own patience.
 */
public final class Probe {
    /** The default time to wait for a message: 3 seconds, as Pekko's test kit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private final Duration timeout;

    private Probe(Duration timeout) {
        this.timeout = timeout;
    }

    /** A probe that waits {@link #DEFAULT_TIMEOUT} for each expected message. */
    public static Probe create() {
        return new Probe(DEFAULT_TIMEOUT);
    }

    /** A probe that waits {@code timeout} for each expected message. */
    public static Probe withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a probe's timeout must be >= 0, was " + timeout);
        }
        return new Probe(timeout);
    }

    /** How long each expectation waits. */
    public Duration timeout() {
        return timeout;
    }

    /** The next message; fails if none arrives within the timeout. */
    public Object expectMessage() {
        Optional<Object> next = next(timeout);
        if (next.isEmpty()) {
            fail("expected a message within " + timeout + ", but none arrived");
        }
        return next.get();
    }

    /** The next message, which must equal {@code expected}; returns it. */
    public <T> T expectMessage(T expected) {
        Objects.requireNonNull(expected, "expectMessage: expected message must not be null");
        Object got = expectMessage();
        if (!expected.equals(got)) {
            fail("expected the message " + expected + ", but the next message was " + describe(got));
        }
        @SuppressWarnings("unchecked")
        T same = (T) got;
        return same;
    }

    /** The next message, which must be a {@code type}; returns it as one. */
    public <T> T expectMessage(Class<T> type) {
        Objects.requireNonNull(type, "expectMessage: type must not be null");
        Object got = expectMessage();
        if (!type.isInstance(got)) {
            fail("expected a message of type " + type.getName() + ", but the next message was " + describe(got));
        }
        return type.cast(got);
    }

    /**
     * Waits {@code duration} and fails if any message arrives meanwhile (or is already queued).
     * This waits the whole duration by design: keep it short.
     */
    public void expectNoMessage(Duration duration) {
        Optional<Object> next = next(Objects.requireNonNull(duration, "expectNoMessage: duration must not be null"));
        next.ifPresent(m -> fail("expected no message for " + duration + ", but got " + describe(m)));
    }

    /**
     * The first message that {@code clauses} accept (return non-null for), leaving the others
     * queued in order; fails if none arrives within the timeout, listing what is queued.
     */
    public <R> R expectReceive(Clauses<? extends R> clauses) {
        Objects.requireNonNull(clauses, "expectReceive: clauses must not be null");
        R r = RealTime.receive(timeout, clauses);
        if (r == null) {
            fail("no matching message arrived within " + timeout + "; queued: " + describeAll(queued()));
        }
        return r;
    }

    /** The {@link Down} of the monitor {@code ref} (other messages stay queued). */
    public Down expectDown(Ref ref) {
        Objects.requireNonNull(ref, "expectDown: ref must not be null");
        Down d = RealTime.receive(timeout, m -> m instanceof Down x && x.ref().equals(ref) ? x : null);
        if (d == null) {
            fail("expected Down for monitor " + ref + " within " + timeout + ", but none arrived; queued: "
                    + describeAll(queued()));
        }
        return d;
    }

    /** The {@link Down} of the monitor {@code ref}, whose reason must be {@code reason}. */
    public Down expectDown(Ref ref, ExitReason reason) {
        Down d = expectDown(ref);
        if (!d.reason().equals(reason)) {
            fail("expected " + d.object() + " to exit with " + reason + ", but it exited with " + d.reason());
        }
        return d;
    }

    /**
     * The {@link Exit} from {@code pid}, whose reason must be {@code reason} (other messages stay
     * queued). Exit messages arrive only at a process that traps exits: call
     * {@link Process#trapExit trapExit(true)} before linking.
     */
    public Exit expectExit(Pid pid, ExitReason reason) {
        Objects.requireNonNull(pid, "expectExit: pid must not be null");
        Objects.requireNonNull(reason, "expectExit: reason must not be null");
        Process.info(Process.self()).filter(ProcessInfo::trapExit).orElseThrow(() -> new IllegalStateException(
                "expectExit needs a process that traps exits: call trapExit(true) before linking to " + pid));
        Exit e = RealTime.receive(timeout, m -> m instanceof Exit x && x.from().equals(pid) ? x : null);
        if (e == null) {
            fail("expected Exit from " + pid + " within " + timeout + ", but none arrived; queued: " + describeAll(queued()));
        }
        if (!e.reason().equals(reason)) {
            fail("expected " + pid + " to exit with " + reason + ", but it exited with " + e.reason());
        }
        return e;
    }

    /**
     * Receives messages in order, dropping each one {@code fish} rejects (returns null for), until
     * one is accepted; returns what {@code fish} made of it. Fails after the timeout, listing the
     * dropped messages.
     */
    public <R> R fishForMessage(Clauses<? extends R> fish) {
        Objects.requireNonNull(fish, "fishForMessage: clauses must not be null");
        long deadline = System.nanoTime() + timeout.toNanos();
        var dropped = new ArrayList<Object>();
        while (true) {
            Optional<Object> next = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (next.isEmpty()) {
                return fail("no message matched within " + timeout + "; dropped " + describeAll(dropped));
            }
            R r = fish.match(next.get());
            if (r != null) {
                return r;
            }
            dropped.add(next.get());
        }
    }

    /**
     * Waits until {@code pid} has exited and returns its reason: a monitor, not a poll. A process
     * that is already gone gives {@link ExitReason#NOPROC}.
     */
    public ExitReason awaitExit(Pid pid) {
        return expectDown(Process.monitor(Objects.requireNonNull(pid, "awaitExit: pid must not be null"))).reason();
    }

    /**
     * Runs {@code body} in a new process, monitored, and returns the reason it exits with: how a
     * test looks at a crash without being linked to it.
     */
    public ExitReason exitReasonOf(Runnable body) {
        Objects.requireNonNull(body, "exitReasonOf: body must not be null");
        return expectDown(Process.spawnMonitor(body).ref()).reason();
    }

    /**
     * Waits until {@code condition} holds, checking it at growing intervals (1 ms to 50 ms), and
     * fails after the timeout saying {@code what} was awaited. For state no message announces
     * (a name being registered, a counter reaching a value); where a message or a monitor can say
     * when something happened, expect that instead. Messages stay queued meanwhile.
     */
    public void awaitCondition(String what, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "awaitCondition: condition must not be null");
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("still waiting, after " + timeout + ", for " + what);
            }
            RealTime.sleep(Duration.ofMillis(pauseMillis));
            pauseMillis = Math.min(50, pauseMillis * 2);
        }
    }

    private static Optional<Object> next(Duration within) {
        return Optional.ofNullable(RealTime.receive(within, m -> m));
    }

    /**
     * The queued messages, put back (for failure messages only: a message arriving while they are
     * out would end up ahead of them, which matters only to a test that goes on after the failure).
     */
    private static List<Object> queued() {
        List<Object> all = Process.flush();
        for (Object m : all) {
            Process.send(Process.self(), m);
        }
        return all;
    }

    /** A message with its class, since two messages can print alike. */
    private static String describe(Object message) {
        return message + " (" + message.getClass().getName() + ")";
    }

    private static String describeAll(List<Object> messages) {
        return messages.isEmpty() ? "nothing" : messages.toString();
    }
}

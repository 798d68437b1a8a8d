package io.loomix.testkit;

import io.loomix.internal.clock.ClockHooks;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.Objects;

/**
 * Manual time for the runtime's timers: while it is installed, the runtime's clock stands still
 * and moves only when the test calls {@link #advance}. It moves every timer the runtime has,
 * because they all read one clock: {@code sendAfter} (and {@code readTimer}, {@code cancelTimer}),
 * receive timeouts, {@code Process.sleep}, and what the behaviours build on them (a GenServer's
 * {@code withTimeout}, call and stop timeouts).
 *
 * {@snippet :
 * @ExtendWith(ProcessExtension.class)
 * class ReminderTest {
 *     @RegisterExtension
 *     final ManualClock clock = ManualClock.create();   // manual time for each test, real time after
 *
 *     @Test
 *     void remindsAfterAnHour(Probe probe) {
 *         Process.sendAfter(self(), "remind", Duration.ofHours(1));
 *         clock.advance(Duration.ofMinutes(59));
 *         probe.expectNoMessage(Duration.ZERO);        // nothing is due yet
 *         clock.advance(Duration.ofMinutes(1));
 *         probe.expectMessage("remind");               // delivered before advance returned
 *     }
 * }
 * }
 *
 * <p>{@link #advance} fires every timer due by the new time, in deadline order (timers due at the
 * same time in the order they were started), and returns once their messages are in the
 * mailboxes and the processes whose receive timed out are woken; the woken processes then run
 * on their own, so expect what they do with a {@link Probe}. Time moves in one step: a timer that
 * a woken process starts counts from the new time. A process must be waiting in its timed receive
 * before the advance that should time it out; when nothing tells the test that (a GenServer
 * enters its receive after it has replied), {@link #awaitTimers} waits until its timer is there.
 *
 * <p>Not moved: the wall clock and {@code System.nanoTime()} read by user code (and so
 * {@code sendAt}'s reading of the wall clock, and the restart intensity of supervisors, which is
 * measured on {@code System.nanoTime()}), the JDK's own timeouts ({@code Thread.sleep},
 * {@code Future.get}, socket timeouts), and the {@link Probe}'s waits, which stay in real time so
 * that a failing expectation still fails after its timeout: {@code expectNoMessage(d)} waits
 * {@code d} of real time, and {@code expectNoMessage(Duration.ZERO)} checks the mailbox now.
 *
 * <p>The runtime is one per JVM, so manual time is too. Registered as an extension it is
 * installed before each test and removed after it; {@link #install()} and {@link #close()} do
 * the same by hand (try-with-resources). Tests that use it must not run in parallel with any test
 * in the same JVM (JUnit's default is one at a time). Installing fails, saying why, while manual
 * time is installed already or while timers started in real time are still pending (after
 * waiting a second for them: a test that has just ended may still be cancelling its timeouts).
 * When manual time ends, real time goes on from manual time's now; the {@code sendAfter} timers
 * the test left pending are dropped, and receive timeouts that are still waiting go on in real
 * time with the time they had left.
 */
public final class ManualClock implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
    /** How long an install waits for timers started in real time to fire or be cancelled. */
    private static final Duration INSTALL_GRACE = Duration.ofSeconds(1);
    /** How long {@link #awaitTimers} waits, as a probe does. */
    private static final Duration AWAIT_LIMIT = Probe.DEFAULT_TIMEOUT;
    private static final String HOOKS = "io.loomix.internal.clock";

    /**
     * Whether a ManualClock of this kit is installed: manual time can be installed through the kit
     * only, and the probe asks this rather than the runtime, so that tests without manual time
     * never touch the runtime's hooks (which a class-path kit may not be allowed to reach).
     */
    private static volatile boolean anyInstalled;

    private volatile boolean installed;
    private volatile long start;

    private ManualClock() {}

    /** A clock to register with {@code @RegisterExtension}: installed for each test, removed after it. */
    public static ManualClock create() {
        return new ManualClock();
    }

    /**
     * Installs manual time now; {@link #close()} removes it.
     *
     * @throws IllegalStateException if manual time is installed already, or real-time timers are pending
     */
    public static ManualClock install() {
        ManualClock clock = new ManualClock();
        clock.installNow();
        return clock;
    }

    static boolean anyInstalled() {
        return anyInstalled;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        installNow();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /**
     * Moves manual time on by {@code duration} and fires every timer due by then, in deadline
     * order; returns once their messages are delivered and the timed-out processes woken.
     *
     * @throws IllegalArgumentException for a negative duration
     * @throws IllegalStateException    if this clock is not installed
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "advance: duration must not be null");
        requireInstalled("advance");
        ClockHooks.advance(duration);
    }

    /** The manual time that has passed since this clock was installed. */
    public Duration now() {
        requireInstalled("now");
        return Duration.ofNanos(ClockHooks.manualNow() - start);
    }

    /**
     * The runtime's timers pending now (started, not yet fired or cancelled): {@code sendAfter}
     * timers and the timeouts of processes waiting in a timed receive, the test's and any other's.
     */
    public long pendingTimers() {
        requireInstalled("pendingTimers");
        return ClockHooks.pendingTimers();
    }

    /**
     * Waits (in real time, at most 3 s) until at least {@code count} timers are pending: the way
     * to know that a process has entered the timed receive the next {@link #advance} should time
     * out. Fails saying how many there were.
     */
    public void awaitTimers(long count) {
        requireInstalled("awaitTimers");
        long deadline = System.nanoTime() + AWAIT_LIMIT.toNanos();
        long pauseMillis = 1;
        long pending;
        while ((pending = ClockHooks.pendingTimers()) < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still waiting, after " + AWAIT_LIMIT + ", for " + count
                        + " pending timer(s): there are " + pending + " (has the process entered its timed receive?)");
            }
            RealTime.pause(pauseMillis);
            pauseMillis = Math.min(50, pauseMillis * 2);
        }
    }

    /** Back to real time, from manual time's now; the pending {@code sendAfter} timers are dropped. */
    @Override
    public void close() {
        if (installed) {
            installed = false;
            anyInstalled = false;
            ClockHooks.restoreReal();
        }
    }

    private void installNow() {
        if (installed) {
            throw new IllegalStateException("this ManualClock is installed already");
        }
        requireHooks();
        long deadline = System.nanoTime() + INSTALL_GRACE.toNanos();
        long pauseMillis = 1;
        while (!ClockHooks.isManual() && ClockHooks.pendingTimers() > 0 && System.nanoTime() - deadline < 0) {
            RealTime.pause(pauseMillis);
            pauseMillis = Math.min(50, pauseMillis * 2);
        }
        ClockHooks.installManual();
        start = ClockHooks.manualNow();
        installed = true;
        anyInstalled = true;
    }

    /**
     * Core exports its clock's hooks to {@code io.loomix.testkit} alone. A kit on the class path
     * (unnamed) beside a core on the module path is not that module: say what to add.
     */
    private static void requireHooks() {
        Module core = io.loomix.Process.class.getModule();
        if (core.isNamed() && !core.isExported(HOOKS, ManualClock.class.getModule())) {
            throw new IllegalStateException("ManualClock cannot reach the runtime's clock: io.loomix.core exports "
                    + HOOKS + " to the module io.loomix.testkit only, and the kit runs here in "
                    + ManualClock.class.getModule() + ". Run the kit on the module path, or add"
                    + " --add-exports io.loomix.core/" + HOOKS + "=ALL-UNNAMED to the test JVM (surefire's argLine)");
        }
    }

    private void requireInstalled(String what) {
        if (!installed) {
            throw new IllegalStateException(what + ": this ManualClock is not installed; register it with"
                    + " @RegisterExtension (installed for each test) or get one from ManualClock.install()");
        }
    }
}

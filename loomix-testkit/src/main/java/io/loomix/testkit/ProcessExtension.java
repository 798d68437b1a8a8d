package io.loomix.testkit;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs each test method as a Loomix process and fails the test with the process's exit reason;
 * afterwards checks that the test left no processes behind.
 *
 * {@snippet :
 * @ExtendWith(ProcessExtension.class)
 * class CounterTest {
 *     @Test
 *     void counts(Probe probe) {
 *         Pid counter = GenServer.startLink(new Counter());   // linked to the test process
 *         GenServer.cast(counter, new Inc());
 *         assertEquals(1, (int) GenServer.call(counter, new Get()));
 *     }
 * }
 * }
 *
 * <p>The test body may do what a process does: {@code self()}, {@code receive}, links, trapping
 * exits. It fails when it throws (with that exception) and when it is killed, by an exit signal
 * from a linked process or by {@code exit} (with the reason: "the test process exited with ...").
 * It is killed if it runs longer than the timeout (30 s unless {@link #withTimeout} says
 * otherwise). {@code @BeforeEach} and {@code @AfterEach} methods run on JUnit's thread, not in
 * the process.
 *
 * <p>Test methods may take a {@link Probe} (default timeout) and a {@link CrashReports}, capturing
 * for the length of the test.
 *
 * <p>A body that returns ends its process with {@code shutdown}, as ExUnit does, so processes
 * linked to it (and not trapping exits) end too. After the body, processes started during the test
 * must be gone within a grace of one second; {@link #allowingLeftovers()} turns the check off. Use {@code @RegisterExtension} for a configured instance:
 * {@snippet :
 * @RegisterExtension
 * static final ProcessExtension loomix = ProcessExtension.create().withTimeout(Duration.ofSeconds(5));
 * }
 */
public final class ProcessExtension implements InvocationInterceptor, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ProcessExtension.class);

    private final Duration timeout;
    private final Duration grace;
    private final boolean checkLeftovers;

    /** The defaults: a 30 s timeout, a leftover check with a one-second grace. */
    public ProcessExtension() {
        this(Duration.ofSeconds(30), Duration.ofSeconds(1), true);
    }

    private ProcessExtension(Duration timeout, Duration grace, boolean checkLeftovers) {
        this.timeout = timeout;
        this.grace = grace;
        this.checkLeftovers = checkLeftovers;
    }

    /** An extension with the defaults, to configure with the {@code with...} methods. */
    public static ProcessExtension create() {
        return new ProcessExtension();
    }

    /** Kills the test process, failing the test, after {@code timeout}. */
    public ProcessExtension withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a test timeout must be positive, was " + timeout);
        }
        return new ProcessExtension(timeout, grace, checkLeftovers);
    }

    /** Waits up to {@code grace} for the test's processes to exit before calling them leftovers. */
    public ProcessExtension withLeftoverGrace(Duration grace) {
        Objects.requireNonNull(grace, "grace must not be null");
        return new ProcessExtension(timeout, grace, checkLeftovers);
    }

    /** No check for processes left behind (for tests that start long-lived ones on purpose). */
    public ProcessExtension allowingLeftovers() {
        return new ProcessExtension(timeout, grace, false);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put(ProcessSnapshot.class, ProcessSnapshot.take());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ProcessSnapshot before = context.getStore(NS).remove(ProcessSnapshot.class, ProcessSnapshot.class);
        if (checkLeftovers && before != null && context.getExecutionException().isEmpty()) {
            before.assertNoneLeft(grace);
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        runAsProcess(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        runAsProcess(invocation);
    }

    /**
     * Runs the body in a process watched by a second one, which reports the body's exit reason:
     * a body killed by a signal throws nothing that JUnit's thread could see.
     */
    private void runAsProcess(Invocation<Void> invocation) throws Throwable {
        var thrown = new AtomicReference<Throwable>();
        var testPid = new CompletableFuture<Pid>();
        var exited = new CompletableFuture<ExitReason>();
        Process.spawn(() -> {
            Process.Monitored m = Process.spawnMonitor(() -> {
                try {
                    invocation.proceed();
                } catch (Throwable t) {
                    ExitReason reason = Process.exitReasonOf(t);
                    if (reason instanceof ExitReason.Crash c && c.error() == t) {
                        thrown.set(t); // thrown by the body, not an exit signal: JUnit shows it as it is
                    }
                    // Exits with the reason rather than rethrowing: linked processes learn of the
                    // failure, and the runtime does not log a crash report JUnit already shows.
                    throw Process.exit(reason);
                }
                // As ExUnit ends a test process: processes linked to it die with it.
                throw Process.exit(ExitReason.SHUTDOWN);
            });
            testPid.complete(m.pid());
            exited.complete(Process.receive(msg -> msg instanceof Down d && d.ref().equals(m.ref()) ? d.reason() : null));
        });
        ExitReason reason;
        try {
            reason = exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            Process.exit(testPid.join(), ExitReason.KILL);
            throw Assertions.<AssertionError>fail("the test process did not finish within " + timeout + " and was killed"
                    + " (ProcessExtension.withTimeout sets the limit)");
        } catch (InterruptedException e) {
            testPid.thenAccept(pid -> Process.exit(pid, ExitReason.KILL));
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause();
        }
        if (thrown.get() != null) {
            throw thrown.get();
        }
        if (!reason.isNormal()) {
            fail("the test process exited with " + reason);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Probe.class || type == CrashReports.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (parameterContext.getParameter().getType() == Probe.class) {
            return Probe.create();
        }
        CrashReports reports = CrashReports.capture();
        // An AutoCloseable in the test's store is closed after the test and its @AfterEach methods.
        extensionContext.getStore(NS).put(new Object(), reports);
        return reports;
    }
}

package io.loomix.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Captures the crash reports Loomix logs while it is open: the runtime's ({@code io.loomix.process}:
 * a process that threw, a limit exceeded) and the behaviours' ({@code io.loomix.otp.GenServer},
 * {@code io.loomix.otp.Supervisor}): what any {@link System.Logger} under {@code io.loomix} logs at
 * WARNING or above.
 *
 * {@snippet :
 * try (CrashReports reports = CrashReports.capture()) {
 *     Monitored m = spawnMonitor(() -> { throw new IllegalStateException("boom"); });
 *     probe.expectDown(m.ref());
 *     reports.expect(r -> r.message().contains("boom"));
 * }
 * }
 *
 * <p>A process's crash report is logged before its links and monitors are told, so once a test
 * has the {@code Down} or {@code Exit} of a crash, its report is here: no waiting is needed.
 *
 * <p>{@link #captureLog} captures any logger under {@code io.loomix} at a level of the test's
 * choosing: the {@code *DBG*} lines of a traced GenServer ({@code io.loomix.otp.Sys}, INFO), say.
 *
 * <p>This works when System.Logger is backed by java.util.logging, the JDK's default; with
 * another logging back end installed (an SLF4J bridge, say) {@link #capture()} refuses, since it
 * would see nothing.
 */
public final class CrashReports implements AutoCloseable {
    /** One logged report: the logger, its level, the text and the exception it carries (or null). */
    public record Report(String logger, String level, String message, Throwable thrown) {
        @Override
        public String toString() {
            return level + " " + logger + ": " + message + (thrown == null ? "" : " [" + thrown + "]");
        }
    }

    // Held strongly while capturing: java.util.logging keeps loggers only weakly.
    private final Logger logger;
    private final Level minimum;
    private final List<Report> reports = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() < minimum.intValue()) {
                return;
            }
            String text = getFormatter() == null ? r.getMessage() : getFormatter().formatMessage(r);
            synchronized (reports) {
                reports.add(new Report(r.getLoggerName(), r.getLevel().getName(), text, r.getThrown()));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final boolean quiet;
    private final boolean parentHandlers;
    private final Level level; // the logger's own level, given back on close

    private CrashReports(String loggerName, Level minimum, boolean quiet) {
        this.logger = Logger.getLogger(loggerName);
        this.minimum = minimum;
        this.level = logger.getLevel();
        if (minimum.intValue() < Level.INFO.intValue()) {
            logger.setLevel(minimum); // java.util.logging's default lets INFO and above through only
        }
        this.quiet = quiet;
        this.parentHandlers = logger.getUseParentHandlers();
        handler.setFormatter(new java.util.logging.SimpleFormatter());
    }

    /** Starts capturing; the reports still reach the console as well. */
    public static CrashReports capture() {
        return start("io.loomix", Level.WARNING, false);
    }

    /** Starts capturing and keeps the reports off the console, for tests that crash processes on purpose. */
    public static CrashReports captureQuietly() {
        return start("io.loomix", Level.WARNING, true);
    }

    /**
     * Starts capturing, quietly, what the loggers named {@code logger} or under it log at
     * {@code minimum} or above: {@code captureLog("io.loomix.otp.Sys", System.Logger.Level.INFO)}
     * captures a traced GenServer's lines.
     */
    public static CrashReports captureLog(String logger, System.Logger.Level minimum) {
        Objects.requireNonNull(logger, "captureLog: logger name must not be null");
        Objects.requireNonNull(minimum, "captureLog: level must not be null");
        return start(logger, switch (minimum) {
            case ALL, TRACE -> Level.FINEST;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case OFF -> Level.OFF;
        }, true);
    }

    private static CrashReports start(String loggerName, Level minimum, boolean quiet) {
        String finder = System.LoggerFinder.getLoggerFinder().getClass().getName();
        if (!finder.startsWith("sun.util.logging.")) {
            throw new IllegalStateException("System.Logger goes to " + finder + ", not java.util.logging, so the"
                    + " test kit cannot see crash reports; assert on your logging back end's records instead");
        }
        CrashReports c = new CrashReports(loggerName, minimum, quiet);
        c.logger.addHandler(c.handler);
        if (quiet) {
            c.logger.setUseParentHandlers(false);
        }
        return c;
    }

    /** The captured texts so far, oldest first: for a log whose lines are the point (trace lines). */
    public List<String> messages() {
        return reports().stream().map(Report::message).toList();
    }

    /** The reports so far, oldest first. */
    public List<Report> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** The first report {@code matching} accepts; fails, listing the reports, if there is none. */
    public Report expect(Predicate<Report> matching) {
        Objects.requireNonNull(matching, "expect: predicate must not be null");
        List<Report> all = reports();
        return all.stream().filter(matching).findFirst()
                .orElseGet(() -> fail("no crash report matched; captured " + all.size() + ": " + all));
    }

    /** Fails if any report was captured. */
    public void expectNone() {
        List<Report> all = reports();
        if (!all.isEmpty()) {
            fail("expected no crash reports, but captured " + all.size() + ": " + all);
        }
    }

    /** Stops capturing (and gives the console its reports back). */
    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(level);
        if (quiet) {
            logger.setUseParentHandlers(parentHandlers);
        }
    }
}

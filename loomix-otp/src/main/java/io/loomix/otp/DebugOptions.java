package io.loomix.otp;

import java.nio.file.Path;

/**
 * OTP's {@code debug} start option as a value: what a behaviour process records about the
 * messages it handles from its first message on. The same switches work on a running process
 * through {@link Sys} ({@link Sys#trace}, {@link Sys#log}, {@link Sys#statistics},
 * {@link Sys#logToFile}).
 *
 * {@snippet :
 * Pid server = GenServer.start(new Counter(), StartOptions.DEFAULT
 *         .withDebug(DebugOptions.NONE.withLog(20).withStatistics(true)));
 * }
 *
 * @param trace      {@code trace}: log each event as it happens to the {@link System.Logger}
 *                   {@code io.loomix.otp.Sys} ({@code *DBG* <0.81.0> got cast Inc[]})
 * @param log        {@code {log, N}}: keep the last {@code log} events for {@link Sys#getLog}; 0 for none
 * @param statistics {@code statistics}: count messages in and out, see {@link Sys#getStatistics}
 * @param logToFile  {@code {log_to_file, File}}: append each event's line to this file; null for none.
 *                   A file that cannot be opened at start is ignored, as OTP does
 */
public record DebugOptions(boolean trace, int log, boolean statistics, Path logToFile) {
    /** Nothing recorded. */
    public static final DebugOptions NONE = new DebugOptions(false, 0, false, null);

    /** How many events {@code log} keeps when no number is given: OTP's 10. */
    public static final int DEFAULT_LOG_SIZE = 10;

    public DebugOptions {
        if (log < 0) {
            throw new IllegalArgumentException("a debug log keeps >= 0 events, was " + log);
        }
    }

    public DebugOptions withTrace(boolean on) {
        return new DebugOptions(on, log, statistics, logToFile);
    }

    /** Keeps the last {@code events} events (0: no log). */
    public DebugOptions withLog(int events) {
        return new DebugOptions(trace, events, statistics, logToFile);
    }

    public DebugOptions withStatistics(boolean on) {
        return new DebugOptions(trace, log, on, logToFile);
    }

    /** Appends each event's line to {@code file} (null: no file). */
    public DebugOptions withLogToFile(Path file) {
        return new DebugOptions(trace, log, statistics, file);
    }
}

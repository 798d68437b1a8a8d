package io.loomix.otp;

import io.loomix.Process;
import io.loomix.ProcessInfo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The debug options of one behaviour process (OTP's {@code sys} debug structure): trace, the
 * event log, statistics, a log file and installed functions. Owned by the process: only it calls
 * these methods, so nothing here is shared.
 */
final class Debug {
    private static final System.Logger TRACE = System.getLogger("io.loomix.otp.Sys");

    private final Function<Object, String> formatState;
    private boolean trace;
    private int logSize;
    private final ArrayDeque<SysEvent> log = new ArrayDeque<>();
    private Instant statsStart; // null: no statistics
    private long statsReductions;
    private long messagesIn;
    private long messagesOut;
    private Writer file;
    private final List<Installed> installed = new ArrayList<>();

    private record Installed(Sys.DebugFunction<Object> fn, Object state) {}

    Debug(DebugOptions options, Function<Object, String> formatState) {
        this.formatState = formatState;
        this.trace = options.trace();
        this.logSize = options.log();
        if (options.statistics()) {
            startStatistics();
        }
        if (options.logToFile() != null) {
            try {
                file = open(options.logToFile());
            } catch (IOException e) {
                // As OTP's debug_options: a log file that cannot be opened at start is left out.
            }
        }
    }

    /** Whether any option is on: the loop builds events only then. */
    boolean on() {
        return trace || logSize > 0 || statsStart != null || file != null || !installed.isEmpty();
    }

    /** Records one event; {@code who} is the process's name or pid, as the lines print it. */
    void event(SysEvent event, Object who) {
        if (trace) {
            TRACE.log(System.Logger.Level.INFO, () -> line(event, who));
        }
        if (logSize > 0) {
            while (log.size() >= logSize) {
                log.removeFirst();
            }
            log.addLast(event);
        }
        if (statsStart != null) {
            if (event.isIn()) {
                messagesIn++;
            } else if (event instanceof SysEvent.Out) {
                messagesOut++;
            }
        }
        if (file != null) {
            try {
                file.write(line(event, who) + System.lineSeparator());
                file.flush(); // readable while the process runs
            } catch (IOException e) {
                closeFile();
                TRACE.log(System.Logger.Level.WARNING, "*DBG* " + who + " stopped logging to file: " + e);
            }
        }
        for (int i = 0; i < installed.size(); i++) {
            Installed f = installed.get(i);
            Object next;
            try {
                next = f.fn().apply(f.state(), event, who);
            } catch (RuntimeException e) {
                next = null; // as OTP: a debug function that fails is removed, the process goes on
            }
            if (next == null) {
                installed.remove(i--);
            } else {
                installed.set(i, new Installed(f.fn(), next));
            }
        }
    }

    /** The text after {@code *DBG* who}, as OTP's gen_server prints its events. */
    String line(SysEvent event, Object who) {
        return "*DBG* " + who + " " + switch (event) {
            case SysEvent.Call(Object request, From from) -> "got call " + request + " from " + from;
            case SysEvent.Cast(Object request) -> "got cast " + request;
            case SysEvent.Info(Object message) -> "got " + message;
            case SysEvent.Out(Object reply, From to, Object state) ->
                    "sent " + reply + " to " + to + ", new state " + formatState.apply(state);
            case SysEvent.NoReply(Object state) -> "new state " + formatState.apply(state);
        };
    }

    /** The logged events, oldest first, for a crash report (empty when not logging). */
    List<SysEvent> logged() {
        return List.copyOf(log);
    }

    /** Carries out a {@link Sys} debug command and returns its answer (an {@link Sys.Error} if it failed). */
    Object command(Sys.DebugCommand command, Object who) {
        switch (command) {
            case Sys.DebugCommand.Trace(boolean on) -> trace = on;
            case Sys.DebugCommand.Log(int size) -> {
                if (size == 0) {
                    logSize = 0;
                    log.clear();
                } else if (logSize == 0) {
                    logSize = size; // as OTP: a log already on keeps its size and its events
                }
            }
            case Sys.DebugCommand.GetLog() -> {
                return logged();
            }
            case Sys.DebugCommand.PrintLog() -> {
                for (SysEvent e : log) {
                    TRACE.log(System.Logger.Level.INFO, line(e, who));
                }
            }
            case Sys.DebugCommand.Statistics(boolean on) -> {
                if (!on) {
                    statsStart = null;
                } else if (statsStart == null) {
                    startStatistics();
                }
            }
            case Sys.DebugCommand.GetStatistics() -> {
                return statsStart == null ? Sys.NO_STATISTICS
                        : new Sys.Statistics(statsStart, Instant.now(), reductions() - statsReductions, messagesIn, messagesOut);
            }
            case Sys.DebugCommand.LogToFile(Path path) -> {
                closeFile();
                if (path != null) {
                    try {
                        file = open(path);
                    } catch (IOException | RuntimeException e) {
                        return new Sys.Error("cannot open " + path + " (" + e + ")");
                    }
                }
            }
            case Sys.DebugCommand.Install(Sys.DebugFunction<Object> fn, Object state) -> {
                // As OTP's install: a function already installed keeps its state.
                if (installed.stream().noneMatch(f -> f.fn() == fn)) {
                    installed.add(new Installed(fn, state));
                }
            }
            case Sys.DebugCommand.Remove(Sys.DebugFunction<Object> fn) -> installed.removeIf(f -> f.fn() == fn);
            case Sys.DebugCommand.NoDebug() -> {
                trace = false;
                logSize = 0;
                log.clear();
                statsStart = null;
                closeFile();
                installed.clear();
            }
        }
        return Sys.OK;
    }

    /** Closes the log file, if any: when the process ends or stops logging to it. */
    void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // the lines written so far are flushed; nothing more to save
            }
            file = null;
        }
    }

    private void startStatistics() {
        statsStart = Instant.now();
        statsReductions = reductions();
        messagesIn = 0;
        messagesOut = 0;
    }

    private static long reductions() {
        return Process.info(Process.self()).map(ProcessInfo::reductions).orElse(0L);
    }

    private static Writer open(Path path) throws IOException {
        return Files.newBufferedWriter(path, StandardCharsets.UTF_8); // truncates, as OTP's file:open(F, [write])
    }
}

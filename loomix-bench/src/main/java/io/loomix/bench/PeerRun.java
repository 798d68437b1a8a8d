package io.loomix.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One peer process for one workload: starts it, copies its output to the log,
 * picks out the RESULT line and turns every kind of failure into a reason.
 */
final class PeerRun {
    private PeerRun() {}

    /** Either a parsed RESULT object or why there is none. */
    record Outcome(Map<String, Object> result, String failure, long wallMillis) {
        boolean ok() {
            return result != null;
        }
    }

    private static final String PREFIX = "RESULT ";
    private static final int TAIL_LINES = 3;

    /** Children still running when the harness is interrupted (Ctrl-C) are killed with it. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(PeerRun::killTree)));
    }

    static Outcome run(ProcessBuilder builder, Workload workload, Duration timeout, PrintWriter log, String tag) {
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Outcome(null, "could not start: " + e.getMessage(), 0);
        }
        RUNNING.add(process);
        try {
            var output = new Output(process, log, tag);
            output.start();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) killTree(process);
            output.join(5_000);
            long wallMillis = (System.nanoTime() - start) / 1_000_000;
            if (!exited) return new Outcome(null, "timed out after " + timeout.toSeconds() + " s", wallMillis);
            return interpret(output, process.exitValue(), workload, wallMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process);
            return new Outcome(null, "interrupted", 0);
        } finally {
            RUNNING.remove(process);
        }
    }

    private static Outcome interpret(Output output, int exitCode, Workload workload, long wallMillis) {
        String line = output.resultLine;
        if (line == null) {
            return new Outcome(null, "exit code " + exitCode + ", no RESULT line; last output: " + output.tail(), wallMillis);
        }
        try {
            if (!(Json.parse(line.substring(PREFIX.length())) instanceof Map<?, ?> parsed)) {
                return new Outcome(null, "RESULT is not a JSON object: " + line, wallMillis);
            }
            @SuppressWarnings("unchecked")
            var result = (Map<String, Object>) parsed;
            if (!workload.metric().equals(result.get("metric"))) {
                return new Outcome(null, "expected metric " + workload.metric() + " but got " + result.get("metric"), wallMillis);
            }
            return new Outcome(result, null, wallMillis);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, "unreadable RESULT line: " + e.getMessage(), wallMillis);
        }
    }

    /** erl is a script that starts beam.smp, so the whole tree has to go. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Drains the child's output on a thread of its own so a chatty child never blocks on a full pipe. */
    private static final class Output extends Thread {
        private final Process process;
        private final PrintWriter log;
        private final String tag;
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private volatile String resultLine;

        Output(Process process, PrintWriter log, String tag) {
            super("output of " + tag);
            setDaemon(true);
            this.process = process;
            this.log = log;
            this.tag = tag;
        }

        @Override
        public void run() {
            try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (log) {
                        log.println(tag + line);
                    }
                    if (line.startsWith(PREFIX)) {
                        resultLine = line.strip();
                    } else if (!line.isBlank()) {
                        synchronized (tail) {
                            if (tail.size() == TAIL_LINES) tail.removeFirst();
                            tail.addLast(line.strip());
                        }
                    }
                }
            } catch (IOException e) {
                synchronized (log) {
                    log.println(tag + "(output lost: " + e + ")");
                }
            }
        }

        String tail() {
            synchronized (tail) {
                return tail.isEmpty() ? "(none)" : String.join(" | ", tail);
            }
        }
    }
}

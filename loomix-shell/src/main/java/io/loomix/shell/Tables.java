package io.loomix.shell;

import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.ProcessInfo;

import java.util.List;
import java.util.Optional;

/** The text of {@code i()} and {@code i(pid)}, as Erlang's shell lays them out. */
final class Tables {
    private Tables() {}

    static String processes(List<Pid> pids) {
        StringBuilder out = new StringBuilder(String.format("%-14s %-44s %10s %6s %s%n",
                "Pid", "Current function / initial call", "Reds", "Msgs", "Name"));
        for (Pid pid : pids) {
            Optional<ProcessInfo> info = Process.info(pid);
            if (info.isEmpty()) {
                continue; // gone since the list was taken
            }
            ProcessInfo p = info.get();
            String where = current(Process.stacktrace(pid).orElse(List.of())).orElse(p.initialCall());
            out.append(String.format("%-14s %-44s %10d %6d %s%n", pid, clip(where, 44), p.reductions(),
                    p.messageQueueLen(), p.registeredName() == null ? "" : p.registeredName()));
        }
        out.append(String.format("%d processes%n", pids.size()));
        return out.toString();
    }

    static String process(ProcessInfo p, List<StackTraceElement> stack) {
        StringBuilder out = new StringBuilder();
        row(out, "pid", p.pid());
        row(out, "registered_name", p.registeredName() == null ? "" : p.registeredName());
        row(out, "status", p.status());
        row(out, "initial_call", p.initialCall());
        row(out, "current_function", current(stack).orElse(""));
        row(out, "message_queue_len", p.messageQueueLen());
        row(out, "links", p.links());
        row(out, "monitors", p.monitors());
        row(out, "monitored_by", p.monitoredBy());
        row(out, "trap_exit", p.trapExit());
        row(out, "priority", p.priority());
        row(out, "reductions", p.reductions());
        row(out, "memory", p.memory() < 0 ? "(not counted)" : p.memory() + " bytes");
        out.append("current_stacktrace:").append(System.lineSeparator());
        stack.stream().filter(f -> !runtime(f)).limit(12)
                .forEach(f -> out.append("    ").append(f).append(System.lineSeparator()));
        return out.toString();
    }

    private static void row(StringBuilder out, String key, Object value) {
        out.append(String.format("%-18s %s%n", key + ":", value));
    }

    /** The innermost frame of the process's own code: not the JDK's, not the Loomix runtime's. */
    static Optional<String> current(List<StackTraceElement> stack) {
        return stack.stream().filter(f -> !runtime(f)).findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName());
    }

    private static boolean runtime(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || c.startsWith("io.loomix.internal.") || c.equals("io.loomix.Process")
                || c.startsWith("io.loomix.shell.") || c.startsWith("io.loomix.code.Mod");
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : "..." + s.substring(s.length() - width + 3);
    }
}

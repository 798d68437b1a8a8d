package io.loomix.observer;

import io.loomix.Atom;
import io.loomix.LocalNode;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.ProcessInfo;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the observer shows, read from the core's API ({@link Process#info}, {@link Process#stacktrace},
 * the registry) and the JVM's management beans, as maps ready for {@link Json}. Each call is a
 * moment's picture: processes keep running while it is taken, and one that exits meanwhile is
 * left out.
 */
final class Inspect {
    private static final Pattern PID = Pattern.compile("<(\\d+)\\.(\\d+)\\.(\\d+)>");
    /**
     * Above this many processes the table shows each one's initial call instead of reading its
     * stack: a stack read suspends the virtual thread, which a table refreshed every few seconds
     * would do to every process.
     */
    static final int STACKS_UP_TO = 5_000;

    private final Supplier<List<String>> connectedNodes;
    /**
     * The callback class of each GenServer seen idle, asked once ({@code Sys.module}) and kept
     * while the process lives: the table is refreshed every few seconds. A hot swap keeps the
     * class's name, so the cached name stays right.
     */
    private final Map<Pid, String> modules = new ConcurrentHashMap<>();

    Inspect(Supplier<List<String>> connectedNodes) {
        this.connectedNodes = connectedNodes;
    }

    /** The System tab: node, schedulers, processes, run queue, memory, uptime. */
    Map<String, Object> system() {
        List<Pid> pids = Process.list();
        int runnable = 0;
        int waiting = 0;
        long reductions = 0;
        long queued = 0;
        for (Pid pid : pids) {
            Optional<ProcessInfo> info = Process.info(pid);
            if (info.isEmpty()) {
                continue;
            }
            ProcessInfo p = info.get();
            if (p.status().equals("waiting")) {
                waiting++;
            } else {
                runnable++;
            }
            reductions += p.reductions();
            queued += p.messageQueueLen();
        }
        var runtime = ManagementFactory.getRuntimeMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", Process.node());
        m.put("alive", LocalNode.isAlive());
        m.put("connectedNodes", nodes());
        m.put("schedulers", Process.schedulers());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("processes", pids.size());
        m.put("runnable", runnable);
        m.put("waiting", waiting);
        m.put("messagesQueued", queued);
        m.put("reductions", reductions);
        m.put("registeredNames", Process.registered().size());
        m.put("atoms", Atom.count());
        m.put("heapUsed", heap.getUsed());
        m.put("heapCommitted", heap.getCommitted());
        m.put("heapMax", heap.getMax());
        m.put("nonHeapUsed", nonHeap.getUsed());
        m.put("platformThreads", ManagementFactory.getThreadMXBean().getThreadCount());
        m.put("uptimeMillis", runtime.getUptime());
        m.put("jvm", runtime.getVmName() + " " + runtime.getVmVersion());
        return m;
    }

    private List<String> nodes() {
        try {
            return List.copyOf(connectedNodes.get());
        } catch (RuntimeException e) {
            return List.of("(unknown: " + e.getMessage() + ")");
        }
    }

    /** The Processes tab: one row per live process. */
    List<Map<String, Object>> processes() {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Pid> pids = Process.list();
        boolean stacks = pids.size() <= STACKS_UP_TO;
        for (Pid pid : pids) {
            Optional<ProcessInfo> info = Process.info(pid);
            if (info.isEmpty()) {
                continue;
            }
            ProcessInfo p = info.get();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pid", pid);
            row.put("name", p.registeredName());
            List<StackTraceElement> stack = stacks ? Process.stacktrace(pid).orElse(List.of()) : List.of();
            String current = Stacks.current(stack).orElse(p.initialCall());
            row.put("current", current);
            String module = modules.get(pid);
            if (module == null && current.equals(Stacks.GEN_LOOP)) {
                module = Behaviours.module(pid);
                if (module != null) {
                    modules.put(pid, module);
                }
            }
            row.put("module", module);
            row.put("status", p.status());
            row.put("messageQueueLen", p.messageQueueLen());
            row.put("reductions", p.reductions());
            row.put("memory", p.memory());
            row.put("allocated", p.allocatedBytes());
            rows.add(row);
        }
        modules.keySet().retainAll(new java.util.HashSet<>(pids));
        return rows;
    }

    /** One process, as {@code process_info/1} and the shell's {@code i(Pid)}, with a behaviour's state. Empty: not alive. */
    Optional<Map<String, Object>> process(Pid pid) {
        Optional<ProcessInfo> info = Process.info(pid);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        ProcessInfo p = info.get();
        List<StackTraceElement> stack = Process.stacktrace(pid).orElse(List.of());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("name", p.registeredName());
        m.put("status", p.status());
        m.put("initialCall", p.initialCall());
        m.put("current", Stacks.current(stack).orElse(null));
        m.put("messageQueueLen", p.messageQueueLen());
        m.put("links", p.links());
        m.put("monitors", p.monitors());
        m.put("monitoredBy", p.monitoredBy());
        m.put("trapExit", p.trapExit());
        m.put("priority", p.priority().toString().toLowerCase(java.util.Locale.ROOT));
        m.put("reductions", p.reductions());
        m.put("memory", p.memory());
        m.put("allocated", p.allocatedBytes());
        m.put("stacktrace", stack.isEmpty() ? null : stack.stream().map(StackTraceElement::toString).toList());
        m.put("behaviour", Behaviours.describe(pid, stack));
        return Optional.of(m);
    }

    /** The Applications tab's stand-in: every supervision tree, from the supervisors no supervisor supervises. */
    List<Map<String, Object>> trees() {
        return Behaviours.trees();
    }

    /**
     * A pid as the pages print it, {@code <0.12.0>}, back to a pid of this node; empty for text
     * of another shape or another node's pid (the first number is not 0).
     */
    static Optional<Pid> parsePid(String text) {
        Matcher m = PID.matcher(text);
        if (!m.matches() || !m.group(1).equals("0")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Pid(LocalNode.name(), Integer.parseUnsignedInt(m.group(2)),
                    Integer.parseUnsignedInt(m.group(3)), LocalNode.creation()));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }
}

package io.loomix.observer;

import io.loomix.Exited;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.ProcessInfo;
import io.loomix.otp.Supervisor;
import io.loomix.otp.Sys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the observer asks behaviour processes through {@link Sys}: their module, their state and,
 * for supervisors, their children.
 *
 * <p>Only a process whose own innermost frame is the GenServer loop ({@link Stacks#GEN_LOOP}) is
 * asked: it answers system messages at once. Any other process would find a system message it
 * does not understand in its mailbox, so it is never sent one; a GenServer busy in a callback is
 * shown as busy, not asked. The questions are asked from a process of their own
 * ({@link Process#run}), since a call needs a caller.
 */
final class Behaviours {
    /** The callback classes of supervisors (the otp module keeps them package-private). */
    private static final Set<String> SUPERVISORS = Set.of("io.loomix.otp.SupervisorServer",
            "io.loomix.otp.DynamicSupervisor$Server");
    private static final Duration CHILDREN_TIMEOUT = Duration.ofSeconds(2);
    private static final int STATE_CHARS = 4000;

    private Behaviours() {}

    /** The behaviour part of a process's details; null for a process that is not idle in a GenServer loop. */
    static Map<String, Object> describe(Pid pid, List<StackTraceElement> stack) {
        if (!Stacks.current(stack).orElse("").equals(Stacks.GEN_LOOP)) {
            return null;
        }
        return Process.run(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            Class<?> module;
            try {
                module = Sys.module(pid);
            } catch (Exited | RuntimeException e) {
                m.put("error", "Sys.module: " + why(e));
                return m;
            }
            boolean supervisor = SUPERVISORS.contains(module.getName());
            m.put("kind", supervisor ? "supervisor" : "gen_server");
            m.put("module", module.getName());
            try {
                m.put("state", clip(String.valueOf(Sys.<Object>getState(pid))));
            } catch (Exited | RuntimeException e) {
                m.put("state", null);
                m.put("stateError", why(e));
            }
            return m;
        });
    }

    /** The callback class of a process idle in the GenServer loop (see the class comment), or null if it does not answer. */
    static String module(Pid pid) {
        return Process.run(() -> {
            try {
                return Sys.module(pid).getName();
            } catch (Exited | RuntimeException busyOrGone) {
                return null;
            }
        });
    }

    /** Every supervision tree on this node, each from a supervisor that no supervisor lists as a child. */
    static List<Map<String, Object>> trees() {
        return Process.run(() -> {
            Map<Pid, List<Supervisor.ChildInfo>> children = new LinkedHashMap<>();
            for (Pid pid : Process.list()) {
                if (idleInGenLoop(pid) && isSupervisor(pid)) {
                    try {
                        children.put(pid, Supervisor.whichChildren(pid, CHILDREN_TIMEOUT));
                    } catch (Exited | RuntimeException gone) {
                        // exited or busy since it was listed: it is left out of this picture
                    }
                }
            }
            Set<Pid> supervised = new HashSet<>();
            children.values().forEach(list -> list.forEach(c -> c.pid().ifPresent(supervised::add)));
            List<Map<String, Object>> roots = new ArrayList<>();
            for (Pid sup : children.keySet()) {
                if (!supervised.contains(sup)) {
                    roots.add(node(sup, null, "supervisor", null, children, new HashSet<>()));
                }
            }
            return roots;
        });
    }

    private static Map<String, Object> node(Pid pid, Object id, String type, String restart,
                                            Map<Pid, List<Supervisor.ChildInfo>> children, Set<Pid> seen) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("id", id);
        m.put("type", type);
        m.put("restart", restart);
        Optional<ProcessInfo> info = pid == null ? Optional.empty() : Process.info(pid);
        m.put("name", info.map(ProcessInfo::registeredName).orElse(null));
        m.put("current", pid == null ? null : Stacks.current(Process.stacktrace(pid).orElse(List.of()))
                .orElse(info.map(ProcessInfo::initialCall).orElse(null)));
        List<Supervisor.ChildInfo> kids = pid == null || !seen.add(pid) ? null : children.get(pid);
        if (kids != null) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Supervisor.ChildInfo c : kids) {
                out.add(node(c.pid().orElse(null), c.id(), lower(c.type()), lower(c.restart()), children, seen));
            }
            m.put("children", out);
        }
        return m;
    }

    private static boolean idleInGenLoop(Pid pid) {
        return Stacks.current(Process.stacktrace(pid).orElse(List.of())).orElse("").equals(Stacks.GEN_LOOP);
    }

    private static boolean isSupervisor(Pid pid) {
        try {
            return SUPERVISORS.contains(Sys.module(pid).getName());
        } catch (Exited | RuntimeException busyOrGone) {
            return false;
        }
    }

    /** A failed call as OTP prints it ({@code {timeout,{Sys,getState,[...]}}}), or the exception's message. */
    private static String why(Throwable e) {
        return e instanceof Exited x ? x.reason().toString() : e.getMessage();
    }

    private static String lower(Object value) {
        return value == null ? null : value.toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() <= STATE_CHARS ? s : s.substring(0, STATE_CHARS) + "... (" + s.length() + " characters)";
    }
}

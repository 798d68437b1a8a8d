package io.loomix.dist.testing;

import java.util.List;

/** The erl program of the global tests: a node that takes part in global and answers requests. */
public final class GlobalErl {
    private GlobalErl() {}

    /**
     * Optionally registers {@code preName} (for a process {@code Pre}) before it connects; pings
     * {@code nodes} (the first runs the registered process {@code tester}), runs global:sync(), says
     * {erl, Self, Pre} to tester and serves {From, Op, Name}: where, sync (global:sync(), answered {synced, Name, ok}), register, unregister, gone (waits,
     * bounded, until the name is undefined: no message says when erl's name server saw a DOWN), and
     * pre_down (Pre's exit reason, from a monitor).
     */
    public static String program(List<String> nodes, String preName) {
        return program(nodes, nodes.getFirst(), preName);
    }

    /** As {@link #program(List, String)}, with {@code tester} on {@code testerNode}, which need not be pinged. */
    public static String program(List<String> nodes, String testerNode, String preName) {
        String pre = preName == null ? "Pre = none, PreMon = none,"
                : "Pre = spawn(fun() -> receive stop -> ok end end), PreMon = monitor(process, Pre),"
                + " yes = global:register_name(" + preName + ", Pre),";
        StringBuilder pings = new StringBuilder();
        for (String n : nodes) {
            pings.append(" pong = net_adm:ping('").append(n).append("'),");
        }
        return pre + pings
                + " ok = global:sync(),"
                + " Gone = fun G(N, 0) -> global:whereis_name(N); G(N, K) -> case global:whereis_name(N) of"
                + "   undefined -> undefined; _ -> timer:sleep(20), G(N, K - 1) end end,"
                + " Loop = fun Lp() -> receive"
                + "   {F, where, N} -> F ! {where, N, global:whereis_name(N)}, Lp();"
                + "   {F, sync, N} -> F ! {synced, N, global:sync()}, Lp();"
                + "   {F, gone, N} -> F ! {gone, N, Gone(N, 500)}, Lp();"
                + "   {F, register, N} -> P = spawn(fun() -> receive stop -> ok end end),"
                + "       F ! {registered, N, global:register_name(N, P), P}, Lp();"
                + "   {F, unregister, N} -> global:unregister_name(N), F ! {unregistered, N}, Lp();"
                + "   {F, race, Ns} -> [spawn(fun() -> P = spawn(fun() -> receive stop -> ok end end),"
                + "       F ! {raced, N, global:register_name(N, P), P} end) || N <- Ns], Lp();"
                + "   {F, pre_down, N} -> F ! {pre_down, N, receive {'DOWN', PreMon, _, _, R} -> R after 20000 -> alive end}, Lp()"
                + " end end,"
                + " {tester, '" + testerNode + "'} ! {erl, self(), Pre}, Loop().";
    }
}

package io.loomix.otp;

import io.loomix.ExitReason;

import java.util.List;
import java.util.Objects;

/**
 * The exit reason of a caller whose call failed, saying where: Erlang's
 * {@code {Reason, {gen_server, call, [Server, Request, Timeout]}}}, e.g.
 * {@code {timeout,{GenServer,call,[<0.81.0>,get,5000]}}}. A process that makes a call exits with
 * {@code ExitReason.Term(CallFailed)} when the server does not answer in time, is not running
 * ({@code noproc}), or exits before answering (its exit reason).
 *
 * @param reason   {@code timeout}, {@code noproc}, {@code calling_self}, or the server's exit reason
 * @param function the call that failed, e.g. {@code GenServer.call}
 * @param args     its arguments: server, request and timeout
 */
public record CallFailed(ExitReason reason, String function, List<Object> args) {
    public CallFailed {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(function, "function");
        args = List.copyOf(args);
    }

    @Override
    public String toString() {
        int dot = function.lastIndexOf('.');
        String mod = dot < 0 ? "" : function.substring(0, dot);
        String fun = function.substring(dot + 1);
        StringBuilder sb = new StringBuilder("{").append(reason).append(",{").append(mod).append(',').append(fun)
                .append(",[");
        for (int i = 0; i < args.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(args.get(i));
        }
        return sb.append("]}}").toString();
    }
}

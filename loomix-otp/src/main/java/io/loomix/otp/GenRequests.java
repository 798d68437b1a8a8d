package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;

import java.time.Duration;
import java.util.Objects;

import static io.loomix.Process.*;

/**
 * Asynchronous calls, OTP's {@code send_request}/{@code wait_response}/{@code check_response}/
 * {@code receive_response}: the call protocol of {@link Gen}, split into sending and taking the
 * response.
 */
final class GenRequests {
    private GenRequests() {}

    private static final Object TIMED_OUT = new Object();

    static RequestId sendRequest(Object server, Object request) {
        Objects.requireNonNull(request, "sendRequest: request must not be null");
        boolean remote = server instanceof Name name && !Gen.isLocal(name);
        Pid pid = remote ? null : Gen.whereis(server);
        Ref alias = alias();
        From from = new From(self(), alias);
        Ref mref;
        if (remote) {
            mref = monitor((Name) server);
            send((Name) server, new Gen.Call(from, request));
        } else if (pid == null) {
            // Not running: the response is a noproc failure, as OTP's monitor of a missing name gives.
            mref = makeRef();
            send(self(), new Down(mref, server, ExitReason.NOPROC));
        } else {
            mref = monitor(pid);
            send(pid, new Gen.Call(from, request));
        }
        return new RequestId(server, mref, alias);
    }

    /** The response to {@code id} if {@code message} is it, else null; taking it ends the request. */
    static Response check(Object message, RequestId id) {
        Response r = match(message, id);
        if (r != null) {
            finish(id);
        }
        return r;
    }

    static Response match(Object message, RequestId id) {
        return switch (message) {
            case Gen.Reply r when r.tag().equals(id.alias()) -> new Response.Reply(r.value());
            case Down d when d.ref().equals(id.monitor()) -> new Response.Failed(d.reason(), id.server());
            default -> null;
        };
    }

    /** Waits for the response; null on timeout (the request stays pending unless {@code abandon}). */
    static Response await(RequestId id, Duration timeout, boolean abandon) {
        Gen.checkTimeout(timeout, abandon ? "GenServer.receiveResponse" : "GenServer.waitResponse");
        Object m = receive(timeout, x -> match(x, id) != null ? x : null, () -> TIMED_OUT);
        if (m == TIMED_OUT) {
            if (!abandon) {
                return null;
            }
            finish(id);
            // As OTP's receive_response: a reply that landed before the alias went still answers.
            m = receive(Duration.ZERO, x -> x instanceof Gen.Reply r && r.tag().equals(id.alias()) ? x : null,
                    () -> TIMED_OUT);
            if (m == TIMED_OUT) {
                return null;
            }
        }
        finish(id);
        return match(m, id);
    }

    static <L> RequestIds.Outcome<L> await(RequestIds<L> ids, Duration timeout, boolean delete, boolean abandon) {
        Gen.checkTimeout(timeout, abandon ? "GenServer.receiveResponse" : "GenServer.waitResponse");
        if (ids.size() == 0) {
            return new RequestIds.NoRequest<>();
        }
        Object[] which = new Object[1];
        Object m = receive(timeout, x -> {
            for (RequestId id : ids.toMap().keySet()) {
                if (match(x, id) != null) {
                    which[0] = id;
                    return x;
                }
            }
            return null;
        }, () -> TIMED_OUT);
        if (m == TIMED_OUT) {
            if (!abandon) {
                return null;
            }
            // Abandoned, all of them: a reply that landed before its alias went is dropped too.
            for (RequestId id : ids.toMap().keySet()) {
                finish(id);
                receive(Duration.ZERO, x -> x instanceof Gen.Reply r && r.tag().equals(id.alias()) ? x : null, () -> null);
            }
            return null;
        }
        RequestId id = (RequestId) which[0];
        finish(id);
        return new RequestIds.Got<>(match(m, id), ids.toMap().get(id), delete ? ids.without(id) : ids);
    }

    static <L> RequestIds.Outcome<L> check(Object message, RequestIds<L> ids, boolean delete) {
        if (ids.size() == 0) {
            return new RequestIds.NoRequest<>();
        }
        for (RequestId id : ids.toMap().keySet()) {
            Response r = check(message, id);
            if (r != null) {
                return new RequestIds.Got<>(r, ids.toMap().get(id), delete ? ids.without(id) : ids);
            }
        }
        return null;
    }

    /** No response to {@code id} can arrive any more. */
    private static void finish(RequestId id) {
        unalias(id.alias());
        demonitor(id.monitor(), true);
    }
}

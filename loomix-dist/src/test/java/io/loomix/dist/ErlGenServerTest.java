package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import io.loomix.otp.CallFailed;
import io.loomix.otp.CallResult;
import io.loomix.otp.From;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;
import io.loomix.otp.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * GenServer calls and casts between a Loomix node and a real erl node, both ways, in OTP's own
 * message shapes (calls tagged with an alias, the reply sent to it).
 */
class ErlGenServerTest {
    private static final String HOST = Erl.shortHost();
    private static final Atom ERL = Atom.of("gen@" + HOST);
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;

    @BeforeEach
    void start() throws Exception {
        me = Node.start("loomixgen", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
    }

    private Child erl(String code) {
        return Erl.start(epmd.port(), "gen", "cookie1", code);
    }

    /** Counts casts; answers a call with {count, request}. */
    static final class Counter extends GenServer<Long> {
        protected Init<Long> init() {
            return ok(0L);
        }

        protected CallResult<Long> handleCall(Object request, From from, Long n) {
            return reply(Tuple.of(n, request), n);
        }

        protected Result<Long> handleCast(Object request, Long n) {
            return noReply(n + 1);
        }
    }

    @Test
    void erlCallsAndCastsALoomixGenServer() throws Exception {
        Pid counter = run(() -> GenServer.start(new Counter(), "counter"));
        try (Child erl = erl("N = '" + me.name() + "',"
                + " ok = gen_server:cast({counter, N}, inc), ok = gen_server:cast({counter, N}, inc),"
                + " io:format(\"reply ~p~n\", [gen_server:call({counter, N}, {get, <<\"x\">>})]),"
                + " {'EXIT', {Why, _}} = (catch gen_server:call({nosuch, N}, get)),"
                + " io:format(\"missing ~p~n\", [Why]),"
                + " {messages, Left} = process_info(self(), messages), io:format(\"left ~p~n\", [Left]),"
                + " halt().")) {
            assertEquals("reply {2,{get,<<\"x\">>}}", erl.await("reply"));
            assertEquals("missing noproc", erl.await("missing"));
            assertEquals("left []", erl.await("left"), "no stray reply or DOWN in the caller's mailbox");
        } finally {
            run(() -> GenServer.stop(counter));
        }
    }

    @Test
    void weCallAndCastAnErlangGenServer() throws Exception {
        try (Child erl = erl("register(caster, self()), io:format(\"ready~n\"),"
                + " receive M -> io:format(\"cast ~p~n\", [M]) end, timer:sleep(infinity).")) {
            erl.await("ready");
            // rex is an OTP gen_server: {call, M, F, A, GroupLeader} applies M:F(A) there and replies
            Object max = run(() -> GenServer.call(Name.of("rex", ERL.name()),
                    Tuple.of(Atom.of("call"), Atom.of("lists"), Atom.of("max"), List.of(List.of(3L, 7L)), self())));
            assertEquals(7L, max);
            Object auth = run(() -> GenServer.call(Name.of("net_kernel", ERL.name()), Tuple.of(Atom.of("is_auth"), me)));
            assertEquals(Atom.of("yes"), auth);
            run(() -> GenServer.cast(Name.of("caster", ERL.name()), Atom.of("hello")));
            assertEquals("cast {'$gen_cast',hello}", erl.await("cast"));
            // a call to a name nobody has there fails as OTP's does: noproc, from the remote monitor
            Object failed = run(() -> {
                trapExit(true);
                Pid caller = spawnLink(() -> GenServer.call(Name.of("nosuch", ERL.name()), Atom.of("x")));
                return receive(m -> m instanceof io.loomix.Exit e && e.from().equals(caller) ? e.reason() : null);
            });
            var reason = assertInstanceOf(io.loomix.ExitReason.Term.class, failed);
            assertEquals(io.loomix.ExitReason.NOPROC, assertInstanceOf(CallFailed.class, reason.value()).reason());
        }
    }

    @Test
    void elixirAndLoomixGenServersCallEachOther() throws Exception {
        Pid counter = run(() -> GenServer.start(new Counter(), "counter"));
        String node = ":\"" + me.name() + "\"";
        try (Child ex = Erl.elixir(epmd.port(), "exgen", "cookie1",
                "defmodule Counter do use GenServer;"
                        + " def init(n), do: {:ok, n};"
                        + " def handle_call(:get, _from, n), do: {:reply, n, n};"
                        + " def handle_cast(:inc, n), do: {:noreply, n + 1} end;"
                        + "{:ok, _} = GenServer.start(Counter, 41, name: :counter);"
                        + "GenServer.cast({:counter, " + node + "}, :inc);"
                        + "IO.puts(\"loomix says #{inspect(GenServer.call({:counter, " + node + "}, :get))}\");"
                        + "IO.puts(\"ready\"); Process.sleep(:infinity)")) {
            assertEquals("loomix says {1, :get}", ex.await("loomix says"));
            ex.await("ready");
            Name elixirCounter = Name.of("counter", "exgen@" + HOST);
            Object n = run(() -> {
                GenServer.cast(elixirCounter, Atom.of("inc"));
                return GenServer.call(elixirCounter, Atom.of("get"));
            });
            assertEquals(42L, n);
        } finally {
            run(() -> GenServer.stop(counter));
        }
    }
}

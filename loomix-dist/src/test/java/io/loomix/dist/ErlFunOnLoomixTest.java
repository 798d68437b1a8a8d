package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An Erlang fun sent to a Loomix node to run there. BEAM runs a fun only when its module is loaded
 * on the node (checked by hand with two erl nodes, the module only on one: {@code undef} with
 * {@code [{Fun, Args, []}, {erlang, apply, 2, []}]} through rpc, {@code [{Fun, [], []}]} as a
 * spawned process's exit, {@code {badarity, {Fun, Args}}} first when the arity is wrong). A
 * Loomix node never has an Erlang module, so it must answer exactly that. The erl side compiles
 * a module {@code fm} in memory (so no file of it exists anywhere), makes a fun of it and
 * compares what it gets with the exact terms BEAM gives.
 */
class ErlFunOnLoomixTest {
    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();

    @Test
    void anErlangFunFailsHereAsOnANodeWithoutItsModule() throws Exception {
        Atom me = Node.start("lfun", "fcookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
        String program = "Forms = [{attribute,1,module,fm}, {attribute,2,export,[{f,0}]},"
                + " {function,3,f,0,[{clause,3,[],[],[{'fun',3,{clauses,[{clause,3,[],[],[{atom,3,hello}]}]}}]}]}],"
                + " {ok, fm, Bin} = compile:forms(Forms), {module, fm} = code:load_binary(fm, \"fm.erl\", Bin),"
                + " F = fm:f(), hello = F(), L = '" + me.name() + "', pong = net_adm:ping(L),"
                + " Undef = {undef, [{F, [], []}, {erlang, apply, 2, []}]},"
                + " Say = fun(What, Got, Want) -> io:format(\"~s ~p~n\", [What, case Got of Want -> same; _ -> Got end]) end,"
                + " Say(rpc, rpc:call(L, erlang, apply, [F, []]), {badrpc, {'EXIT', Undef}}),"
                + " Say(badarity, rpc:call(L, erlang, apply, [F, [x]]),"
                + "   {badrpc, {'EXIT', {{badarity, {F, [x]}}, [{erlang, apply, 2, []}]}}}),"
                + " Say(erpc, try erpc:call(L, F) catch error:{exception, undef, S} -> {undef, S} end, Undef),"
                + " {P, M} = spawn_monitor(L, F),"
                + " Why = receive {'DOWN', M, process, P, W} -> W after 20000 -> alive end,"
                + " Say(spawn, case Why of {undef, [{F, [], []} | _]} -> first_frame_same; _ -> Why end, first_frame_same),"
                + " io:format(\"done~n\").";
        try (Child erl = Erl.start(epmd.port(), "efun", "fcookie", program)) {
            Duration wait = Duration.ofSeconds(30);
            assertEquals("rpc same", erl.await(l -> l.startsWith("rpc "), wait));
            assertEquals("badarity same", erl.await(l -> l.startsWith("badarity "), wait));
            assertEquals("erpc same", erl.await(l -> l.startsWith("erpc "), wait));
            assertEquals("spawn same", erl.await(l -> l.startsWith("spawn "), wait));
        }
    }
}

package io.loomix.dist.rpc;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.otp.GenWire;

import java.util.List;

/**
 * The registered {@code rex} server, rpc's older path: {@code gen_server:call({rex, Node},
 * {call, M, F, A, GroupLeader})} (also {@code block_call}) answers with the value or
 * {@code {badrpc, {'EXIT', ...}}}, {@code gen_server:cast({rex, Node}, {cast, M, F, A, GL})}
 * runs the function and answers nothing. Each request runs in a process of its own, as OTP's rex
 * does, so a slow one holds up no other. It also answers rpc's features request: this node
 * speaks erpc.
 */
public final class Rex {
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom CALL = Atom.of("call");
    private static final Atom BLOCK_CALL = Atom.of("block_call");
    private static final Atom CAST = Atom.of("cast");
    private static final Atom FEATURES_REQUEST = Atom.of("features_request");
    private static final Atom FEATURES_REPLY = Atom.of("features_reply");

    private Rex() {}

    /** Handles one message sent to {@code rex}; {@code self} is this node's name. */
    public static void handle(Object m, Atom self) {
        if (GenWire.parts(m) instanceof GenWire.Call c && mfa(c.request()) instanceof Tuple req) {
            Process.spawn(() -> Process.send(c.tag(), GenWire.message(new GenWire.Reply(c.tag(), call(req)))));
        } else if (GenWire.parts(m) instanceof GenWire.Cast(Object request) && request instanceof Tuple req
                && req.size() == 5 && req.get(0) == CAST && mfa(Tuple.of(CALL, req.get(1), req.get(2), req.get(3), req.get(4))) != null) {
            Process.spawn(() -> Apply.apply((Atom) req.get(1), (Atom) req.get(2), List.copyOf((List<?>) req.get(3))));
        } else if (m instanceof Tuple t && t.size() == 3 && t.get(0) == GEN_CALL
                && t.get(1) instanceof Tuple from && from.size() == 2 && from.get(0) instanceof Pid caller
                && mfa(t.get(2)) instanceof Tuple req) {
            // a call tagged with a bare ref (OTP < 24 or hand-made): the reply is {Tag, Value}
            Process.spawn(() -> Process.send(caller, Tuple.of(from.get(1), call(req))));
        } else if (m instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Pid from && t.get(1) == FEATURES_REQUEST) {
            Process.send(from, Tuple.of(FEATURES_REPLY, self, List.of(Atom.of("erpc"))));
        }
    }

    /** {call | block_call, M, F, A, GL} with atoms and a list, else null. */
    private static Tuple mfa(Object request) {
        return request instanceof Tuple t && t.size() == 5 && (t.get(0) == CALL || t.get(0) == BLOCK_CALL)
                && t.get(1) instanceof Atom && t.get(2) instanceof Atom && t.get(3) instanceof List<?> ? t : null;
    }

    private static Object call(Tuple req) {
        return SpawnService.rpcResult(Apply.apply((Atom) req.get(1), (Atom) req.get(2), List.copyOf((List<?>) req.get(3))));
    }
}

package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** gen_server's request ids (send_request and friends), ported from gen_server_SUITE's send_request cases. */
@ExtendWith(ProcessExtension.class)
class RequestTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    record Echo(Object value) {}

    record Hold() {}

    record Release() {}

    /** Answers Echo at once; holds Hold callers until Release. */
    static final class Server extends GenServer<List<From>> {
        @Override
        protected Init<List<From>> init() {
            return ok(List.of());
        }

        @Override
        protected CallResult<List<From>> handleCall(Object request, From from, List<From> held) {
            return switch (request) {
                case Echo(Object v) -> reply(v, held);
                case Hold h -> noReply(List.copyOf(java.util.stream.Stream.concat(held.stream(),
                        java.util.stream.Stream.of(from)).toList()));
                case String s when s.equals("die") -> stop(ExitReason.of(Atom.of("died")), held);
                default -> reply(request, held);
            };
        }

        @Override
        protected Result<List<From>> handleCast(Object request, List<From> held) {
            held.forEach(f -> f.reply("released"));
            return noReply(List.of());
        }
    }

    @Test
    void aRequestIsAnsweredLaterAndLeavesNothingBehind() {
        Pid server = GenServer.startLink(new Server());
        RequestId id = GenServer.sendRequest(server, new Echo(1));
        assertEquals(new Response.Reply(1), GenServer.waitResponse(id, LONG));
        assertTrue(info(self()).orElseThrow().monitors().isEmpty());
        assertEquals(List.of(), flush());
    }

    @Test
    void waitResponseKeepsARequestThatTimedOutAndReceiveResponseAbandonsIt() {
        Pid server = GenServer.startLink(new Server());
        RequestId kept = GenServer.sendRequest(server, new Hold());
        assertNull(GenServer.waitResponse(kept, Duration.ofMillis(10)));
        RequestId abandoned = GenServer.sendRequest(server, new Hold());
        assertNull(GenServer.receiveResponse(abandoned, Duration.ofMillis(10)));
        GenServer.cast(server, new Release());
        assertEquals(new Response.Reply("released"), GenServer.waitResponse(kept, LONG));
        assertEquals("sync", GenServer.call(server, "sync")); // the abandoned reply was sent before this
        assertEquals(List.of(), flush(), "the abandoned request's reply was dropped");
    }

    @Test
    void aServerThatIsNotRunningOrDiesAnswersWithAnError() {
        RequestId nobody = GenServer.sendRequest("no_such_server", new Echo(1));
        assertEquals(new Response.Failed(ExitReason.NOPROC, "no_such_server"), GenServer.waitResponse(nobody, LONG));
        Pid server = GenServer.start(new Server());
        RequestId dies = GenServer.sendRequest(server, "die");
        assertEquals(new Response.Failed(ExitReason.of(Atom.of("died")), server), GenServer.receiveResponse(dies, LONG));
        assertEquals("{error,{died," + server + "}}", new Response.Failed(ExitReason.of(Atom.of("died")), server).toString());
        assertEquals(List.of(), flush());
    }

    @Test
    void checkResponseRecognisesTheResponseAmongOtherMessages() {
        Pid server = GenServer.startLink(new Server());
        RequestId id = GenServer.sendRequest(server, new Echo("x"));
        send(self(), "unrelated");
        Response found = null;
        while (found == null) {
            Object m = receive();
            Response r = GenServer.checkResponse(m, id);
            if (r == null) {
                assertEquals("unrelated", m);
            }
            found = r;
        }
        assertEquals(new Response.Reply("x"), found);
    }

    @Test
    void aCollectionYieldsEachResponseWithItsLabel() {
        Pid a = GenServer.startLink(new Server());
        Pid b = GenServer.startLink(new Server());
        RequestIds<String> pending = RequestIds.<String>empty()
                .add(GenServer.sendRequest(a, new Echo(1)), "a")
                .add(GenServer.sendRequest(b, new Echo(2)), "b")
                .add(GenServer.sendRequest("nobody_here", new Echo(3)), "c");
        assertEquals(3, pending.size());
        Map<String, Response> got = new HashMap<>();
        while (GenServer.receiveResponse(pending, LONG, true) instanceof RequestIds.Got<String> g) {
            got.put(g.label(), g.response());
            pending = g.rest();
        }
        assertEquals(Map.of("a", new Response.Reply(1), "b", new Response.Reply(2),
                "c", new Response.Failed(ExitReason.NOPROC, "nobody_here")), got);
        assertInstanceOf(RequestIds.NoRequest.class, GenServer.waitResponse(pending, LONG, true));

        RequestIds<Integer> held = RequestIds.<Integer>empty().add(GenServer.sendRequest(a, new Hold()), 1);
        assertNull(GenServer.receiveResponse(held, Duration.ofMillis(10), true), "timeout abandons the collection");
        GenServer.cast(a, new Release());
        GenServer.call(a, "sync");
        assertEquals(List.of(), flush());
    }
}

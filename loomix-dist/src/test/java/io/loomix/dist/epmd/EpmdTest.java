package io.loomix.dist.epmd;

import io.loomix.dist.testing.Child;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against the real epmd and against the embedded one: both must behave alike. */
class EpmdTest {
    private AutoCloseable epmd;
    private EpmdClient client;

    private void start(String which) throws Exception {
        int port = Child.freePort();
        epmd = which.equals("real") ? Child.epmd(port) : EpmdServer.start(port);
        client = EpmdClient.local(port);
    }

    @AfterEach
    void stop() throws Exception {
        if (epmd != null) {
            epmd.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"real", "embedded"})
    void registeredNodeIsFoundAndListed(String which) throws Exception {
        start(which);
        byte[] extra = "x".getBytes(StandardCharsets.UTF_8);
        try (var a = client.register(new EpmdNode("alpha", 40001, false, 6, 6, extra));
             var b = client.register(new EpmdNode("beta", 40002, true))) {
            assertNotEquals(0, a.creation());
            Optional<EpmdNode> found = client.lookup("alpha");
            assertTrue(found.isPresent(), "alpha is registered");
            assertEquals(40001, found.get().port());
            assertEquals(false, found.get().hidden());
            assertArrayEquals(extra, found.get().extra());
            assertEquals(true, client.lookup("beta").orElseThrow().hidden());
            assertEquals(Optional.empty(), client.lookup("gamma"));
            var names = client.names();
            assertEquals(client.port(), names.epmdPort());
            assertEquals(List.of("alpha:40001", "beta:40002"),
                    names.nodes().stream().map(n -> n.name() + ":" + n.port()).sorted().toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"real", "embedded"})
    void aTakenNameIsRefused(String which) throws Exception {
        start(which);
        try (var a = client.register(new EpmdNode("alpha", 40001, false))) {
            var e = assertThrows(IOException.class, () -> client.register(new EpmdNode("alpha", 40002, false)));
            assertTrue(e.getMessage().contains("refused to register 'alpha'"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"real", "embedded"})
    void closingTheRegistrationUnregisters(String which) throws Exception {
        start(which);
        var a = client.register(new EpmdNode("alpha", 40001, false));
        a.close();
        // epmd notices the closed connection on its own time: no message says when, so look again
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.lookup("alpha").isPresent()) {
            assertTrue(System.nanoTime() < deadline, "alpha still registered 10 s after its connection closed");
            Thread.onSpinWait();
        }
        try (var again = client.register(new EpmdNode("alpha", 40003, false))) {
            assertEquals(40003, client.lookup("alpha").orElseThrow().port());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"real", "embedded"})
    void namesPrintsWhatEpmdNamesPrints(String which) throws Exception {
        start(which);
        try (var a = client.register(new EpmdNode("alpha", 40001, false))) {
            String expected;
            try (Child tool = Child.start("epmd", "-port", Integer.toString(client.port()), "-names")) {
                expected = tool.output(Duration.ofSeconds(10));
            }
            assertEquals(expected, client.names().describe());
        }
    }

    @org.junit.jupiter.api.Test
    void anEmbeddedEpmdServesErl() throws Exception {
        start("embedded");
        try (Child erl = Child.start(java.util.Map.of("ERL_EPMD_PORT", Integer.toString(client.port())),
                List.of("erl", "-sname", "epmdtest", "-setcookie", "c", "-start_epmd", "false", "-noshell", "-eval",
                        "io:format(\"~p~n\", [net_adm:names()]), io:format(\"up~n\"), timer:sleep(infinity)."))) {
            String names = erl.await(l -> l.startsWith("{ok,"), Duration.ofSeconds(30));
            assertTrue(names.contains("\"epmdtest\""), names);
            assertTrue(client.lookup("epmdtest").isPresent(), "erl registered with the embedded epmd");
        }
    }

    @org.junit.jupiter.api.Test
    void garbageDropsOnlyThatClient() throws Exception {
        start("embedded");
        try (var a = client.register(new EpmdNode("alpha", 40001, false));
             var s = new java.net.Socket("127.0.0.1", client.port())) {
            s.getOutputStream().write(new byte[] {0, 3, 99, 1, 2});
            s.getOutputStream().flush();
            assertEquals(-1, s.getInputStream().read(), "the embedded epmd closes a connection with an unknown request");
            assertEquals(40001, client.lookup("alpha").orElseThrow().port());
        }
    }
}

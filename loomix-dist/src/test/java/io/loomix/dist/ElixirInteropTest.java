package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.term.TermRegistry;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PrivateEpmd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An elixir node: Node.ping/Node.list on its side, and an Elixir struct arriving as a Java record. */
class ElixirInteropTest {
    private static final String HOST = Erl.shortHost();

    /** %MyApp.User{name: "ann", age: 7} on the Elixir side. */
    public record User(String name, long age) {}

    @RegisterExtension
    final PrivateEpmd epmd = new PrivateEpmd();
    private Atom me;

    @BeforeEach
    void start() throws Exception {
        TermRegistry types = TermRegistry.builder().struct(User.class, "MyApp.User", MethodHandles.lookup()).build();
        me = Node.start("loomix", "cookie1", NodeOptions.DEFAULT.withEpmdPort(epmd.port()).withRegistry(types));
    }

    @Test
    void anElixirStructArrivesAsARecordAndGoesBack() throws Exception {
        var received = new LinkedBlockingQueue<Object>();
        Pid inbox = Process.spawn(() -> {
            Object m = Process.receive();
            received.add(m);
            if (m instanceof Tuple t && t.get(0) instanceof Pid from && t.get(1) instanceof User u) {
                Process.send(from, Tuple.of(Atom.of("ok"), new User(u.name().toUpperCase(), u.age() + 1)));
            }
        });
        Process.register("inbox", inbox);
        String node = ":\"" + me.name() + "\"";
        try (Child ex = Erl.elixir(epmd.port(), "ex", "cookie1",
                "defmodule MyApp.User do defstruct [:name, :age] end;"
                        + "IO.puts(\"ping #{Node.ping(" + node + ")}\");"
                        + "IO.puts(\"list #{inspect(Node.list())}\");"
                        + "send({:inbox, " + node + "}, {self(), struct(MyApp.User, name: \"ann\", age: 7)});"
                        + "receive do {:ok, u} -> IO.puts(\"reply #{inspect(u)}\") after 10_000 -> IO.puts(\"no reply\") end;"
                        + "Process.register(self(), :shell); IO.puts(\"registered\");"
                        + "receive do m -> IO.puts(\"got #{inspect(m)}\") after 10_000 -> IO.puts(\"nothing\") end")) {
            assertEquals("ping pong", ex.await("ping"));
            assertEquals("list [:" + me.name() + "]", ex.await("list"));
            Object m = received.poll(30, TimeUnit.SECONDS);
            assertEquals(new User("ann", 7), ((Tuple) m).get(1));
            assertEquals("reply %MyApp.User{name: \"ANN\", age: 8}", ex.await("reply"));
            ex.await("registered");
            // and the other way: Loomix pings the elixir node and sends a record to its registered process
            assertEquals(Atom.of("pong"), Node.ping("ex@" + HOST));
            Process.run(() -> Process.send(Name.of("shell", "ex@" + HOST), new User("bob", 3)));
            assertEquals("got %MyApp.User{name: \"bob\", age: 3}", ex.await("got"));
            ex.waitFor(Duration.ofSeconds(30));
        }
    }
}

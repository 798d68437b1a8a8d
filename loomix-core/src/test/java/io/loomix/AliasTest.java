package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

class AliasTest {
    record Reply(Ref tag, String value) {}

    @Test
    void aliasDeliversUntilUnaliased() {
        run(() -> {
            Ref a = alias();
            Pid replier = spawn(() -> {
                Ref to = (Ref) receive();
                send(to, new Reply(to, "first"));
                receive(m -> "again".equals(m) ? m : null);
                send(to, new Reply(to, "late"));
            });
            send(replier, a);
            assertEquals("first", receive(a, m -> m instanceof Reply r && r.tag().equals(a) ? r.value() : null));
            assertTrue(unalias(a));
            Ref mon = monitor(replier);
            send(replier, "again");
            receive(m -> m instanceof Down d && d.ref().equals(mon) ? d : null);
            assertEquals("nothing", receive(Duration.ZERO, m -> m instanceof Reply ? m : null, () -> "nothing"));
            assertFalse(unalias(a));
        });
    }

    @Test
    void aliasesOfAnExitedProcessAreGone() {
        run(() -> {
            Pid me = self();
            Monitored m = spawnMonitor(() -> send(me, alias()));
            Ref dead = (Ref) receive(x -> x instanceof Ref ? x : null);
            receive(x -> x instanceof Down d && d.ref().equals(m.ref()) ? d : null);
            assertEquals("x", send(dead, "x")); // dropped, no error
        });
    }

    record Ask(Ref replyTo) {}

    /** Answers an Ask twice, then waits to be stopped. */
    private static Pid doubleReplier() {
        return spawn(() -> {
            Ask a = receive(m -> m instanceof Ask x ? x : null);
            send(a.replyTo(), "reply1");
            send(a.replyTo(), "reply2");
            receive(m -> "stop".equals(m) ? m : null);
        });
    }

    private static List<Object> drain() {
        List<Object> out = new ArrayList<>();
        for (Object m; (m = receive(Duration.ZERO, x -> x, () -> null)) != null; ) {
            out.add(m);
        }
        return out;
    }

    @Test
    void aReplyAliasLetsOneMessageThrough() {
        // erl: A = alias([reply]), A ! one, A ! two -> only one arrives; unalias(A) -> false
        run(() -> {
            Ref a = alias(AliasOption.REPLY);
            send(a, "one");
            send(a, "two");
            assertEquals(List.of("one"), drain());
            assertFalse(unalias(a));
        });
    }

    @Test
    void aReplyDemonitorAliasEndsTheMonitorWithTheFirstReply() {
        // erl: monitor(process, P, [{alias, reply_demonitor}]) -> [reply1]; demonitor(M, [info]) -> false
        run(() -> {
            Pid p = doubleReplier();
            Ref m = monitor(p, MonitorOption.Alias.REPLY_DEMONITOR);
            send(p, new Ask(m));
            assertEquals("reply1", receive(m, x -> x instanceof String s ? s : null));
            Ref done = monitor(p);
            send(p, "stop");
            Await.down(done);
            assertEquals(List.of(), drain(), "no second reply and no Down from the ended monitor");
            assertFalse(demonitor(m));
        });
    }

    @Test
    void aDemonitorAliasEndsWithTheDownAndATagNamesTheDown() {
        // erl: [{alias, demonitor}, {tag, mytag}] -> {mytag, Ref, process, Pid, normal}; later sends dropped
        run(() -> {
            Pid p = spawn(() -> receive(m -> "stop".equals(m) ? m : null));
            Ref m = monitor(p, MonitorOption.Alias.DEMONITOR, MonitorOption.tag("mytag"));
            send(p, "stop");
            TaggedDown d = receive(x -> x instanceof TaggedDown t && t.ref().equals(m) ? t : null);
            assertEquals(new TaggedDown("mytag", m, p, ExitReason.NORMAL), d);
            send(m, "after the down");
            assertEquals(List.of(), drain());
        });
    }

    @Test
    void anExplicitUnaliasAliasOutlivesItsMonitor() {
        // erl: [{alias, explicit_unalias}] -> DOWN, then a send to the ref still arrives
        run(() -> {
            Pid p = spawn(() -> receive(m -> "stop".equals(m) ? m : null));
            Ref m = monitor(p, MonitorOption.Alias.EXPLICIT_UNALIAS);
            send(p, "stop");
            Await.down(m);
            send(m, "still");
            assertEquals(List.of("still"), drain());
            assertTrue(unalias(m));
        });
    }

    @Test
    void demonitorEndsADemonitorAliasAndFlushesATaggedDown() {
        run(() -> {
            Pid p = spawn(() -> {});
            Ref m = monitor(p, MonitorOption.Alias.DEMONITOR, MonitorOption.tag("t"));
            Ref plain = monitor(p);
            Await.down(plain);
            assertFalse(demonitor(m, true), "the tagged Down was already queued");
            assertEquals(List.of(), drain(), "flush removed the tagged Down");
            Pid q = spawn(() -> receive());
            Ref n = monitor(q, MonitorOption.Alias.DEMONITOR);
            assertTrue(demonitor(n));
            send(n, "dropped");
            assertEquals(List.of(), drain());
            exit(q, ExitReason.KILL);
        });
    }

    /**
     * A send through an alias looks the alias up and then delivers: an unalias and a flush in
     * between must not leave the message for a later receive (Erlang drops a message through an
     * alias that is gone when the receiver reaches it). Senders on the other carrier, many rounds.
     */
    @Test
    void stressAMessageThroughAnAliasRemovedMeanwhileIsNeverReceived() {
        run(() -> {
            Pid me = self();
            int seen = 0;
            for (int round = 0; round < 5_000; round++) {
                Ref alias = alias();
                spawn(() -> {
                    send(alias, "late");
                    send(me, "sent");
                });
                if (round % 2 == 0) {
                    Thread.onSpinWait(); // vary where the unalias falls in the sender's send
                }
                unalias(alias);
                // The sender may have run already (an idle carrier takes it from this carrier's
                // runNext slot when this process is held up for a watch period): then the flush
                // took "sent" too, and waiting for it would wait forever.
                if (!flush().contains("sent")) {
                    receive(m -> "sent".equals(m) ? m : null);
                }
                // The sender's messages arrive in order: if "late" was delivered, it is here now.
                if (receive(Duration.ZERO, m -> "late".equals(m) ? m : null, () -> null) != null) {
                    seen++;
                }
            }
            assertEquals(0, seen, "messages through a removed alias received after the unalias and flush");
        });
    }
}

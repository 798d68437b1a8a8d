package io.loomix;

import org.junit.jupiter.api.Test;

import java.time.Duration;

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
}

package io.loomix.otp;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Registry edge cases and API, each checked against Elixir 1.14 (ported from registry_test.exs). */
@ExtendWith(ProcessExtension.class)
class RegistryConformanceTest {
    /** Downs can take a while on a loaded machine (shutdown timeouts run out in some tests). */
    private static final Probe probe = Probe.withTimeout(java.time.Duration.ofSeconds(30));

    static final class Idle extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return ok(0);
        }
    }

    @Test
    void unregisteringTheLastKeyUnlinksFromTheRegistry() {
        Registry reg = Registry.startLink("unlink_reg", Registry.Keys.UNIQUE);
        Pid owner = whereis("unlink_reg").orElseThrow();
        Pid test = self();
        Pid registrant = spawnLink(() -> {
            reg.register("a", 1);
            reg.register("b", 2);
            reg.unregister("a");
            send(test, List.of("after a", info(self()).orElseThrow().links().contains(owner)));
            reg.unregister("b");
            send(test, List.of("after b", info(self()).orElseThrow().links().contains(owner)));
            receive(m -> null);
        });
        probe.expectMessage(List.of("after a", true));       // still holds b
        probe.expectMessage(List.of("after b", false));      // Elixir unlinks
        assertNotNull(registrant);
    }

    @Test
    void theStarterOfARegistryStaysLinkedToItAfterUnregisteringItsLastKey() {
        Registry reg = Registry.startLink("starter_reg", Registry.Keys.UNIQUE);
        Pid owner = whereis("starter_reg").orElseThrow();
        reg.register("mine", 1);
        reg.unregister("mine");
        // Elixir: the starter's link goes to the registry's supervisor, which registering never touches
        assertTrue(info(self()).orElseThrow().links().contains(owner), "the startLink link was dropped");
    }

    @Test
    void aViaOnADuplicateRegistryFailsInTheCaller() {
        Registry dup = Registry.startLink("dup_via_reg", Registry.Keys.DUPLICATE);
        int before = count();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GenServer.startLink(new Idle(), new Via(dup, "k")));
        assertTrue(e.getMessage().contains("not supported for duplicate registries"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GenServer.start(new Idle(), new Via(dup, "k")));
        assertThrows(IllegalArgumentException.class, () -> GenServer.whereis(new Via(dup, "k")));
        // At most as many as before: processes of earlier tests may still be exiting meanwhile.
        assertTrue(count() <= before, "no server was started");
    }

    @Test
    void dispatchMatchCountMatchAndValues() {
        Registry topics = Registry.startLink("topics_reg", Registry.Keys.DUPLICATE, 2);
        Pid me = self();
        topics.register("news", 1);
        topics.register("news", 2);
        Pid other = spawn(() -> {
            topics.register("news", 30);
            send(me, "registered");
            receive(m -> "exit".equals(m) ? m : null);
        });
        receive(m -> "registered".equals(m) ? m : null);

        assertEquals(3, topics.lookup("news").size());
        assertEquals(List.of(new Registry.Entry(other, 30)), topics.match("news", v -> (int) v > 10));
        assertEquals(2, topics.countMatch("news", v -> (int) v < 10));
        assertEquals(List.of(1, 2), topics.values("news", me));
        List<Registry.Entry> seen = new ArrayList<>();
        topics.dispatch("news", seen::addAll);
        assertEquals(3, seen.size());
        topics.dispatch("nobody", entries -> fail("dispatch of a key with no entries calls nothing"));

        topics.unregisterMatch("news", v -> (int) v == 1);
        assertEquals(List.of(2), topics.values("news", me));
        send(other, "exit");
        probe.expectDown(monitor(other));
        // The partition cleans up after the exit; lookups filter the dead at once.
        assertEquals(List.of(new Registry.Entry(me, 2)), topics.lookup("news"));
    }

    @Test
    void updateValueChangesOnlyTheCallersOwnUniqueEntry() {
        Registry reg = Registry.startLink("update_reg", Registry.Keys.UNIQUE);
        reg.register("counter", 1);
        assertEquals(Optional.of(new Registry.Updated(2, 1)), reg.updateValue("counter", v -> (int) v + 1));
        assertEquals(List.of(2), reg.values("counter", self()));
        assertEquals(Optional.empty(), reg.updateValue("missing", v -> v));
        Pid me = self();
        spawn(() -> send(me, reg.updateValue("counter", v -> 99)));
        assertEquals(Optional.empty(), receive(m -> m instanceof Optional<?> o ? o : null), "not its entry");
        Registry dup = Registry.startLink("update_dup_reg", Registry.Keys.DUPLICATE);
        assertThrows(IllegalArgumentException.class, () -> dup.updateValue("k", v -> v));
    }

    @Test
    void lockRunsOneHolderAtATimeAndAnExitReleasesIt() {
        Registry reg = Registry.startLink("lock_reg", Registry.Keys.UNIQUE);
        Pid me = self();
        Pid holder = spawn(() -> reg.lock("job", () -> {
            send(me, "holding");
            return receive(m -> "exit".equals(m) ? m : null);
        }));
        receive(m -> "holding".equals(m) ? m : null);
        Pid waiter = spawn(() -> send(me, reg.lock("job", () -> "second got it")));
        assertEquals("free", reg.lock("other", () -> "free"), "another lock key does not wait");
        assertNull(receive(Duration.ofMillis(30), m -> m instanceof String s && s.startsWith("second") ? s : null,
                () -> null), "the waiter waits while the lock is held");
        exit(holder, ExitReason.KILL);
        assertEquals("second got it", receive(m -> m instanceof String s && s.startsWith("second") ? s : null));
        assertNotNull(waiter);
    }

    @Test
    void partitionsCleanUpAfterTheirRegistrants() {
        Registry reg = Registry.startLink("partitioned_reg", Registry.Keys.UNIQUE, 4);
        Pid me = self();
        List<Pid> registrants = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            registrants.add(spawn(() -> {
                reg.register("k" + n, n);
                send(me, "ok");
                receive(m -> "exit".equals(m) ? m : null);
            }));
        }
        for (int i = 0; i < 40; i++) {
            receive(m -> "ok".equals(m) ? m : null);
        }
        assertEquals(40, reg.count());
        for (Pid p : registrants) {
            send(p, "exit");
            probe.expectDown(monitor(p));
        }
        assertEquals(0, reg.count());
        for (int i = 0; i < 40; i++) { // the key is free again: entries were removed, not just hidden
            assertTrue(reg.register("k" + i, i));
        }
        Pid first = whereis("partitioned_reg").orElseThrow();
        assertEquals(4, info(first).orElseThrow().links().size(), "the three other partitions and the test");
    }
}

package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.handshake.Handshake;
import io.loomix.dist.term.TermRegistry;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The carrier that reads a SPAWN_REPLY matches it to its request without the peer's monitor. The
 * requesters (processes) take that monitor to file their requests; a carrier that blocked on it
 * while the JVM had chosen a waiting requester as the monitor's next owner, a requester queued on
 * that same carrier, stalled both nodes until the JVM's timed re-check (dist_spawn at 4k spawns/s).
 * No network here: the table is never started, its peer entry is made as a request would make it.
 */
@Timeout(60)
class NodeTableSpawnReplyTest {
    private static final Atom PEER = Atom.of("peer@host");

    private static NodeTable table() {
        return new NodeTable(new NodeTable.Settings(
                new Handshake.Identity("self@host", DistFlags.LOOMIX, 1, "cookie"), 1,
                new Connection.Options(Duration.ofSeconds(60), 1 << 20), Duration.ofSeconds(7), TermRegistry.DEFAULT));
    }

    /** The table's entry for PEER, made as spawnRequest makes it (the class is private to the table). */
    @SuppressWarnings("unchecked")
    private static Object peer(NodeTable table) throws ReflectiveOperationException {
        Field peers = NodeTable.class.getDeclaredField("peers");
        peers.setAccessible(true);
        Class<?> type = Class.forName(NodeTable.class.getName() + "$Peer");
        Constructor<?> make = type.getDeclaredConstructor(Atom.class);
        make.setAccessible(true);
        return ((Map<Atom, Object>) peers.get(table)).computeIfAbsent(PEER, n -> {
            try {
                return make.newInstance(n);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<Ref, Pid> spawning(Object peer) throws ReflectiveOperationException {
        Field f = peer.getClass().getDeclaredField("spawning");
        f.setAccessible(true);
        return (Map<Ref, Pid>) f.get(peer);
    }

    private static Ref ref(int n) {
        return Ref.of(Atom.of("self@host"), 1, n, 0, 0);
    }

    @Test
    void aReplyIsMatchedWhileSomeoneHoldsThePeersMonitor() throws Exception {
        NodeTable table = table();
        Object peer = peer(table);
        Ref id = ref(1);
        spawning(peer).put(id, new Pid(Atom.of("self@host"), 42, 0, 1));
        CompletableFuture<Boolean> replied;
        synchronized (peer) {
            // As a requester filing its request holds it: the poller's match must not wait for it.
            replied = CompletableFuture.supplyAsync(() -> table.replied(PEER, id), Thread::startVirtualThread);
            assertTrue(replied.get(5, TimeUnit.SECONDS), "the reply was not matched while the monitor was held");
        }
        assertFalse(table.replied(PEER, id), "a second reply with the same id is a stray one");
    }

    /** Replies, abandons and a node-down racing for the same requests: each id is taken once. */
    @RepeatedTest(20)
    void eachPendingRequestIsTakenOnce() throws Exception {
        NodeTable table = table();
        Object peer = peer(table);
        Map<Ref, Pid> spawning = spawning(peer);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            spawning.put(ref(i), new Pid(Atom.of("self@host"), i, 0, 1));
        }
        var takeSpawning = peer.getClass().getDeclaredMethod("takeSpawning");
        takeSpawning.setAccessible(true);
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread replier = Thread.ofPlatform().start(() -> {
            await(go);
            for (int i = 0; i < n; i += 2) {
                if (table.replied(PEER, ref(i))) {
                    taken.incrementAndGet();
                }
            }
        });
        Thread abandoner = Thread.ofPlatform().start(() -> {
            await(go);
            for (int i = 1; i < n; i += 2) {
                if (spawning.remove(ref(i)) != null) {
                    taken.incrementAndGet();
                }
            }
        });
        go.countDown();
        int down;
        synchronized (peer) {
            down = ((Map<?, ?>) takeSpawning.invoke(peer)).size();
        }
        replier.join(10_000);
        abandoner.join(10_000);
        assertEquals(n, taken.get() + down);
        assertTrue(spawning.isEmpty());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

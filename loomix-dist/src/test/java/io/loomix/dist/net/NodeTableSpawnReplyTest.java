package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
        return UnstartedTable.table();
    }

    private static Object peer(NodeTable table) throws ReflectiveOperationException {
        return UnstartedTable.peer(table, PEER);
    }

    @SuppressWarnings("unchecked")
    private static Map<Ref, Pid> spawning(Object peer) throws ReflectiveOperationException {
        return (Map<Ref, Pid>) UnstartedTable.field(peer, "spawning");
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

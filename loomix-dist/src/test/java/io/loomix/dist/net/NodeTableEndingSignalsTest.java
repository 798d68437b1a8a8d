package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The signals that end a link or monitor (DEMONITOR_P, UNLINK_ID, a link's EXIT, MONITOR_P_EXIT)
 * never connect to a node: with no connection up or on its way, the peer holds no side of the
 * link or monitor any more (it went with the connection), as ERTS drops them. With an attempt on
 * its way they wait for it behind what was queued before, so a monitor that went out for that
 * attempt is undone on it (RemoteSignals.monitorRemote). No network: the table is never started.
 */
@Timeout(60)
class NodeTableEndingSignalsTest {
    private static final Atom SELF = Atom.of("self@host");
    private static final Atom PEER = Atom.of("peer@nowhere.invalid");

    /** The table's entry for PEER with an attempt to connect on its way (none is really made). */
    private static Object dialingPeer(NodeTable table) throws ReflectiveOperationException {
        Object peer = UnstartedTable.peer(table, PEER);
        UnstartedTable.setField(peer, "dialing", true);
        return peer;
    }

    private static Pid local(int n) {
        return new Pid(SELF, n, 0, 1);
    }

    private static Pid remote(int n) {
        return new Pid(PEER, n, 0, 3);
    }

    @Test
    void signalsThatEndALinkOrMonitorDoNotConnect() throws Exception {
        NodeTable table = UnstartedTable.table();
        Ref ref = Ref.of(SELF, 1, 7, 0, 0);
        table.demonitor(local(1), remote(2), ref);
        table.unlink(local(1), remote(2));
        table.linkExit(local(1), remote(2), ExitReason.NORMAL);
        table.down(local(1), remote(2), Ref.of(PEER, 3, 8, 0, 0), ExitReason.NORMAL);
        assertFalse(UnstartedTable.peers(table).containsKey(PEER), "a signal that ends a link or monitor started a connection");
    }

    @Test
    void theyWaitForAnAttemptOnItsWayBehindWhatWasQueuedBefore() throws Exception {
        NodeTable table = UnstartedTable.table();
        Object peer = dialingPeer(table);
        Ref ref = Ref.of(SELF, 1, 9, 0, 0);
        table.monitor(local(1), remote(2), ref);
        table.demonitor(local(1), remote(2), ref);
        table.link(local(1), remote(2));
        table.unlink(local(1), remote(2));
        List<?> queued = (List<?>) UnstartedTable.field(peer, "pending");
        assertEquals(4, queued.size(), queued.toString());
        assertTrue(queued.get(0).toString().contains("MonitorP["), queued.toString());
        assertTrue(queued.get(1).toString().contains("DemonitorP["), queued.toString());
        assertTrue(queued.get(2).toString().contains("Link["), queued.toString());
        assertTrue(queued.get(3).toString().contains("UnlinkId["), queued.toString());
    }
}

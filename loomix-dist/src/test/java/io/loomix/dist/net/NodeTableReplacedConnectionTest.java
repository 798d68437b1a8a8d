package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.dist.handshake.DistFlags;
import io.loomix.dist.handshake.Handshake;
import io.loomix.internal.remote.RuntimeHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A new connection to a peer can be registered while its old one has been closed but not yet
 * taken down: whoever closed it (its reader at the peer's restart, or the handshake's replaceOld)
 * is still on its way to the table, and then finds the old connection replaced and leaves it.
 * Before, that old connection's links and monitors then stayed with the new one: a monitor of a
 * process of the peer's earlier incarnation never fired. Now the new connection takes the old one
 * down first. Loopback sockets stand for the two connections; no handshake runs.
 */
@Timeout(60)
class NodeTableReplacedConnectionTest {
    private static final Atom PEER = Atom.of("peer@host");
    private static final Connection.Options OPTIONS = UnstartedTable.OPTIONS;

    /** A connection closed as its closer's compareAndSet leaves it, before that closer reaches the table. */
    private static Connection closedButNotTakenDown(Socket socket, Handshake.Result result) throws ReflectiveOperationException {
        Connection c = new Connection(socket, result, OPTIONS, new Connection.Handler() {
            @Override
            public void onMessage(Connection connection, Inbound message) {}

            @Override
            public void onClose(Connection connection, String reason) {}
        });
        Field closed = Connection.class.getDeclaredField("closed");
        closed.setAccessible(true);
        ((AtomicBoolean) closed.get(c)).set(true);
        return c;
    }

    @Test
    void aNewConnectionTakesDownAnOldOneThatHasClosedButNotYetGone() throws Exception {
        NodeTable table = UnstartedTable.table();
        RuntimeHooks.installRemote(table);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 4, loopback);
             Socket oldOurs = new Socket(loopback, server.getLocalPort());
             Socket oldTheirs = server.accept();
             Socket newOurs = new Socket(loopback, server.getLocalPort());
             Socket newTheirs = server.accept()) {
            var result = new Handshake.Result(PEER.name(), DistFlags.LOOMIX, 3, DistFlags.LOOMIX);
            Object peer = UnstartedTable.peer(table, PEER);
            UnstartedTable.setField(peer, "conn", closedButNotTakenDown(oldOurs, result));

            // A process monitors a process of the peer while the old connection is still registered.
            Pid remote = new Pid(PEER, 40, 0, 3);
            var heard = new LinkedBlockingQueue<Object>();
            spawn(() -> {
                Ref ref = monitor(remote);
                heard.add(ref);
                heard.add(receive(Duration.ofSeconds(20), m -> m instanceof Down d && d.ref().equals(ref) ? d : null,
                        () -> "no Down"));
            });
            Ref ref = (Ref) heard.poll(10, TimeUnit.SECONDS);
            assertNotNull(ref, "the process did not monitor");

            Method up = NodeTable.class.getDeclaredMethod("up", peer.getClass(), Socket.class, Handshake.Result.class);
            up.setAccessible(true);
            up.invoke(table, peer, newOurs, result);

            assertEquals(new Down(ref, remote, ExitReason.NOCONNECTION), heard.poll(15, TimeUnit.SECONDS),
                    "the monitor made on the old connection was carried over to the new one");
        } finally {
            table.stop();
            RuntimeHooks.installRemote(null);
        }
    }
}

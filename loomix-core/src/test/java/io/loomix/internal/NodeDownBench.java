package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.internal.remote.RemoteNode;

import java.util.concurrent.CountDownLatch;

/**
 * Not a test: how long a node-down takes to reach 100k monitors and 100k links to processes of
 * the lost node, held by 100k local processes, with the node table's inbound call alone (no
 * network). Run (after {@code mvn -pl loomix-core test-compile}):
 * {@snippet :
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp loomix-core/target/classes:loomix-core/target/test-classes \
 *     io.loomix.internal.NodeDownBench 100000
 * }
 */
public final class NodeDownBench {
    private static final Atom PEER = Atom.of("lost@bench");

    /** Records nothing: the signals that go out are not what is measured. */
    private static final class Quiet implements RemoteNode {
        public void send(Pid to, Object message) {}
        public void send(Name to, Object message) {}
        public void aliasSend(Pid from, Ref alias, Object message) {}
        public void link(Pid from, Pid to) {}
        public void unlink(Pid from, Pid to) {}
        public void linkExit(Pid from, Pid to, ExitReason reason) {}
        public void exit(Pid from, Pid to, ExitReason reason) {}
        public void monitor(Pid from, Object target, Ref ref) {}
        public void demonitor(Pid from, Object target, Ref ref) {}
        public void down(Object monitored, Pid watcher, Ref ref, ExitReason reason) {}
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Kernel kernel = Kernel.get();
        kernel.installRemote(new Quiet());
        for (int round = 0; round < 3; round++) {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch told = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                Pid remote = new Pid(PEER, i + 1, round, 1);
                Process.spawn(() -> {
                    Process.trapExit(true);
                    Process.link(remote);
                    Ref ref = Process.monitor(remote);
                    ready.countDown();
                    Process.receive(m -> m instanceof Exit e && e.reason() == ExitReason.NOCONNECTION ? e : null);
                    Process.receive(m -> m instanceof Down d && d.ref().equals(ref) ? d : null);
                    told.countDown();
                });
            }
            ready.await();
            int entries = kernel.remoteSignals().count(PEER);
            long start = System.nanoTime();
            kernel.remoteSignals().nodeDown(PEER);
            long signalled = System.nanoTime();
            told.await();
            long received = System.nanoTime();
            System.out.printf("round %d: %d links + monitors (%d entries): nodeDown returned in %.1f ms,"
                            + " every process had its Exit and Down after %.1f ms%n", round, n, entries,
                    (signalled - start) / 1e6, (received - start) / 1e6);
        }
        System.exit(0);
    }
}

package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.testing.Child;
import io.loomix.dist.testing.Erl;
import io.loomix.dist.testing.PeerMain;
import io.loomix.testkit.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Links and monitors between two Loomix nodes in two JVMs (the peer runs {@link PeerMain}). */
class LoomixSignalsTest {
    private static final String HOST = Erl.shortHost();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private int epmdPort;

    @BeforeEach
    void start() {
        epmdPort = Child.freePort();
        Node.start("mainsig", "c3", NodeOptions.DEFAULT.withEpmdPort(epmdPort));
    }

    @AfterEach
    void stop() {
        Node.stop();
    }

    private Child peer(String name) throws InterruptedException {
        Child c = Child.start(Map.of(), PeerMain.command(name, "c3", epmdPort));
        c.await(l -> l.startsWith("ready"), Duration.ofSeconds(60));
        return c;
    }

    private static Object await(java.util.function.Predicate<Object> p) {
        return Probe.withTimeout(WAIT).expectReceive(m -> p.test(m) ? m : null);
    }

    /** Links to the peer's victim (by asking it to link), returning its pid. */
    private static Pid linkToVictim(Name victim) {
        send(victim, Tuple.of(self(), Atom.of("link")));
        return (Pid) ((Tuple) await(m -> m instanceof Tuple t && t.get(0) == Atom.of("linked"))).get(1);
    }

    @Test
    void exitsReachLinksAndMonitorsByPidAndName() throws Exception {
        try (Child p = peer("sigpeer")) {
            Name victim = Name.of("victim", "sigpeer@" + HOST);
            Object[] got = run(() -> {
                trapExit(true);
                Ref missing = monitor(Name.of("nosuch", victim.node().name()));
                Down noproc = (Down) await(m -> m instanceof Down d && d.ref().equals(missing));
                Ref byName = monitor(victim);
                Pid v = linkToVictim(victim);
                Ref byPid = monitor(v);
                send(v, Tuple.of(Atom.of("exit"), Tuple.of(Atom.of("peer_exit"), 7L)));
                return new Object[] {noproc, v, await(m -> m instanceof Exit e && e.from().equals(v)),
                        await(m -> m instanceof Down d && d.ref().equals(byName)),
                        await(m -> m instanceof Down d && d.ref().equals(byPid))};
            });
            ExitReason reason = new ExitReason.Term(Tuple.of(Atom.of("peer_exit"), 7L));
            assertEquals(ExitReason.NOPROC, ((Down) got[0]).reason());
            assertEquals(new Exit((Pid) got[1], reason), got[2]);
            assertEquals(victim, ((Down) got[3]).object());
            assertEquals(reason, ((Down) got[3]).reason());
            assertEquals(reason, ((Down) got[4]).reason());
        }
    }

    @Test
    void aKilledPeerJvmBreaksLinksAndMonitorsWithNoconnection() throws Exception {
        Child p = peer("sigdoomed");
        try {
            Name victim = Name.of("victim", "sigdoomed@" + HOST);
            Object[] got = run(() -> {
                trapExit(true);
                Pid v = linkToVictim(victim);
                Ref byPid = monitor(v);
                Ref byName = monitor(victim);
                p.close(); // SIGKILL
                return new Object[] {await(m -> m instanceof Exit e && e.from().equals(v)),
                        await(m -> m instanceof Down d && d.ref().equals(byPid)),
                        await(m -> m instanceof Down d && d.ref().equals(byName))};
            });
            assertEquals(ExitReason.NOCONNECTION, ((Exit) got[0]).reason());
            assertEquals(ExitReason.NOCONNECTION, ((Down) got[1]).reason());
            assertEquals(ExitReason.NOCONNECTION, ((Down) got[2]).reason());
        } finally {
            p.close();
        }
    }
}

package io.loomix.dist;

import io.loomix.Atom;
import io.loomix.dist.term.Terms;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libcluster's gossip packets, as {@link Gossip} writes and reads them; the wire against erl is GossipErlTest. */
class GossipTest {
    private static final Atom A = Atom.of("a@host");

    @Test
    void aPlainHeartbeatIsThePreludeAndTheNodeInAMap() {
        byte[] packet = Gossip.heartbeat(A, null);
        byte[] prelude = "heartbeat::".getBytes(StandardCharsets.US_ASCII);
        assertTrue(Arrays.equals(packet, 0, prelude.length, prelude, 0, prelude.length));
        assertEquals(Map.of(Atom.of("node"), A), Terms.decode(Arrays.copyOfRange(packet, prelude.length, packet.length)));
        assertEquals(Optional.of(A), Gossip.heardFrom(packet, null));
    }

    @Test
    void anEncryptedHeartbeatIsReadWithItsSecretOnly() {
        byte[] packet = Gossip.heartbeat(A, "s3cret");
        assertEquals(0, (packet.length - 16) % 16, "an IV and whole AES blocks");
        assertEquals(Optional.of(A), Gossip.heardFrom(packet, "s3cret"));
        assertEquals(Optional.empty(), Gossip.heardFrom(packet, "other"));
        assertEquals(Optional.empty(), Gossip.heardFrom(packet, null));
        assertEquals(Optional.empty(), Gossip.heardFrom(Gossip.heartbeat(A, null), "s3cret"), "a plain one with a secret");
        assertNotEquals(Arrays.toString(packet), Arrays.toString(Gossip.heartbeat(A, "s3cret")), "a fresh IV each time");
    }

    @Test
    void anythingElseIsIgnored() {
        byte[] prelude = "heartbeat::".getBytes(StandardCharsets.US_ASCII);
        for (Object term : List.of(Map.of(Atom.of("nod"), A), Map.of(Atom.of("node"), "a@host"),
                Map.of(Atom.of("node"), Atom.of("nohost")), List.of(A), 42L)) {
            assertEquals(Optional.empty(), Gossip.heardFrom(concat(prelude, Terms.encode(term)), null), term.toString());
        }
        byte[] good = Gossip.heartbeat(A, null);
        assertEquals(Optional.empty(), Gossip.heardFrom(Arrays.copyOf(good, good.length - 3), null), "cut short");
        assertEquals(Optional.empty(), Gossip.heardFrom("heartbeat::".getBytes(StandardCharsets.US_ASCII), null));
        assertEquals(Optional.empty(), Gossip.heardFrom("hello".getBytes(StandardCharsets.US_ASCII), null));
        assertEquals(Optional.empty(), Gossip.heardFrom(new byte[0], "s3cret"));
        assertEquals(Optional.empty(), Gossip.heardFrom(new byte[48], "s3cret"), "garbage of the right length");
        byte[] deep = concat(prelude, Terms.encode(Map.of(Atom.of("node"), List.of(List.of(List.of(List.of(A)))))));
        assertEquals(Optional.empty(), Gossip.heardFrom(deep, null), "nested deeper than a heartbeat is");
    }

    /** Past the cap on names heard, a heartbeat of a name that is no atom yet is not read (atoms are never freed). */
    @Test
    void aNameThatIsNoAtomYetIsReadOnlyWhileNewNamesAreAllowed() {
        String fresh = "fresh" + System.nanoTime() + "@host";
        byte[] prelude = "heartbeat::".getBytes(StandardCharsets.US_ASCII);
        // Written by hand, so that the test makes no atom of the name: #{node => 'fresh...@host'}, UTF-8 atoms
        byte[] name = fresh.getBytes(StandardCharsets.UTF_8);
        byte[] term = new byte[1 + 1 + 4 + 2 + 4 + 2 + name.length];
        var b = java.nio.ByteBuffer.wrap(term);
        b.put((byte) 131).put((byte) 116).putInt(1);
        b.put((byte) 119).put((byte) 4).put("node".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 119).put((byte) name.length).put(name);
        byte[] packet = concat(prelude, Arrays.copyOf(term, b.position()));
        assertEquals(Optional.empty(), Gossip.heardFrom(packet, null, false), "a new name past the cap");
        assertEquals(Optional.of(Atom.of(fresh)), Gossip.heardFrom(packet, null, true));
        assertEquals(Optional.of(Atom.of(fresh)), Gossip.heardFrom(packet, null, false), "a known name is still read");
    }

    @Test
    void optionsSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gossip.Options.DEFAULT.onInterface("127.0.0.1").withPort(0));
        assertTrue(e.getMessage().contains("port"), e.getMessage());
        var notMulticast = assertThrows(IllegalArgumentException.class, () -> new Gossip.Options(
                java.net.InetAddress.getLoopbackAddress(), 45892, null, 1, null, false, java.time.Duration.ofSeconds(5)));
        assertTrue(notMulticast.getMessage().contains("not a multicast address"), notMulticast.getMessage());
        assertThrows(IllegalStateException.class, () -> Gossip.start(Gossip.Options.DEFAULT), "no node started");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

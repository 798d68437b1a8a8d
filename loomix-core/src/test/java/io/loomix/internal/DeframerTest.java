package io.loomix.internal;

import io.loomix.PortOptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Framing of a port's output without programs: Erlang's cases, and every way a pipe read can cut them. */
class DeframerTest {
    private record F(String text, boolean partial) {}

    private static List<F> frames(PortOptions.Framing framing, byte[] input, int... cuts) {
        Deframer d = Deframer.of(framing);
        List<Deframer.Frame> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            d.feed(input, from, cut - from, out);
            from = cut;
        }
        d.feed(input, from, input.length - from, out);
        d.finish(out);
        return out.stream().map(f -> new F(new String(f.bytes(), StandardCharsets.ISO_8859_1), f.partial())).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void linesAsErlangCutsThem() {
        // erl: open_port({spawn,"cat"},[binary,{line,5}]) fed "hello\nab\nlongerline\n" then "tail" and EOF
        assertEquals(List.of(new F("hello", false), new F("ab", false), new F("longe", true), new F("rline", false),
                        new F("tail", true)),
                frames(new PortOptions.Line(5), bytes("hello\nab\nlongerline\ntail")));
        assertEquals(List.of(new F("", false), new F("", false)), frames(new PortOptions.Line(5), bytes("\n\n")));
        assertEquals(List.of(new F("abcde", true), new F("abcde", true), new F("a", false)),
                frames(new PortOptions.Line(5), bytes("abcdeabcdea\n")));
    }

    @Test
    void everyCutOfTheInputGivesTheSameFrames() {
        byte[] line = bytes("hello\nab\nlongerline\n\nx");
        byte[] packet = {0, 3, 'a', 'b', 'c', 0, 0, 0, 1, 'z', 0, 2, 'q'};
        List<F> wholeLines = frames(new PortOptions.Line(5), line);
        List<F> wholePackets = frames(new PortOptions.Packet(2), packet);
        assertEquals(List.of(new F("abc", false), new F("", false), new F("z", false)), wholePackets);
        for (int a = 0; a <= line.length; a++) {
            for (int b = a; b <= line.length; b++) {
                assertEquals(wholeLines, frames(new PortOptions.Line(5), line, a, b), "cut at " + a + "," + b);
            }
        }
        for (int a = 0; a <= packet.length; a++) {
            for (int b = a; b <= packet.length; b++) {
                assertEquals(wholePackets, frames(new PortOptions.Packet(2), packet, a, b), "cut at " + a + "," + b);
            }
        }
    }

    @Test
    void packetHeadersOfEveryWidthRoundTrip() {
        Random random = new Random(7);
        for (int width : new int[] {1, 2, 4}) {
            List<byte[]> sent = new ArrayList<>();
            var stream = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                byte[] body = new byte[random.nextInt(width == 1 ? 256 : 3000)];
                random.nextBytes(body);
                sent.add(body);
                stream.writeBytes(Deframer.Packet.header(width, body.length));
                stream.writeBytes(body);
            }
            byte[] all = stream.toByteArray();
            Deframer d = Deframer.of(new PortOptions.Packet(width));
            List<Deframer.Frame> out = new ArrayList<>();
            for (int i = 0; i < all.length; ) {
                int n = Math.min(all.length - i, 1 + random.nextInt(700));
                d.feed(all, i, n, out);
                i += n;
            }
            assertEquals(sent.size(), out.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), out.get(i).bytes());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Deframer.Packet.header(1, 256));
        assertThrows(IllegalArgumentException.class, () -> Deframer.Packet.header(2, 65536));
    }

    @Test
    void streamPassesReadsThroughAndACutPacketIsDropped() {
        assertEquals(List.of(new F("ab", false), new F("c", false)), frames(new PortOptions.Stream(), bytes("abc"), 2));
        assertEquals(List.of(), frames(new PortOptions.Packet(1), new byte[] {5, 'a', 'b'}));
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.PortId;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random terms in the form the decoder gives them (Long, String for UTF-8, List.of, ...), for property tests. */
final class RandomTerms {
    private static final Atom[] ATOMS = {Atom.of("ok"), Atom.of("error"), Atom.of("a"), Atom.of("héllo"),
            Atom.of("Elixir.MyApp.User"), Atom.of(""), Atom.of("☃"), Atom.of("x".repeat(255))};
    private static final Atom NODE = Atom.of("peer@box");
    private static final String[] TEXTS = {"", "hello", "héllo wörld", "☃ 𝄞", "a\\nb\\u0000c"};

    private RandomTerms() {}

    static Object term(Random r, int depth) {
        int kinds = depth <= 0 ? 12 : 17;
        return switch (r.nextInt(kinds)) {
            case 0 -> ATOMS[r.nextInt(ATOMS.length)];
            case 1 -> (long) r.nextInt(256);
            case 2 -> (long) r.nextInt();
            case 3 -> r.nextLong();
            case 4 -> {
                BigInteger b = new BigInteger(64 + r.nextInt(300), r);
                yield r.nextBoolean() ? b.add(BigInteger.ONE.shiftLeft(63)) : b.add(BigInteger.ONE.shiftLeft(63)).negate().subtract(BigInteger.ONE);
            }
            case 5 -> {
                double d;
                do {
                    d = Double.longBitsToDouble(r.nextLong());
                } while (!Double.isFinite(d));
                yield d;
            }
            case 6 -> TEXTS[r.nextInt(TEXTS.length)];
            case 7 -> {
                byte[] b = new byte[1 + r.nextInt(40)];
                r.nextBytes(b);
                b[0] = (byte) 0xFF; // never valid UTF-8: stays a Binary
                yield Binary.of(b);
            }
            case 8 -> r.nextBoolean();
            case 9 -> new Pid(NODE, r.nextInt(), r.nextInt(), 1 + r.nextInt(1000));
            case 10 -> r.nextBoolean() ? Ref.of(NODE, 7, r.nextInt(), r.nextInt(), r.nextInt())
                    : Ref.of(NODE, 7, r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt());
            case 11 -> r.nextBoolean() ? new PortId(NODE, r.nextLong() >>> 1, 3)
                    : new BitBinary(Binary.of(r.nextInt(256) & 0xF0), 4);
            case 12 -> Tuple.of(children(r, depth, 0).toArray());
            case 13 -> List.copyOf(children(r, depth, 0));
            case 14 -> {
                Map<Object, Object> m = new HashMap<>();
                for (Object k : children(r, depth, 0)) {
                    m.put(k, term(r, depth - 1));
                }
                yield Map.copyOf(m);
            }
            case 15 -> {
                Object tail;
                do {
                    tail = term(r, 0);
                } while (tail instanceof List<?>);
                yield new ImproperList(children(r, depth, 1), tail);
            }
            default -> r.nextBoolean() ? List.of((long) r.nextInt(256), (long) r.nextInt(256))
                    : new Export(ATOMS[r.nextInt(ATOMS.length)], ATOMS[r.nextInt(ATOMS.length)], r.nextInt(256));
        };
    }

    private static List<Object> children(Random r, int depth, int atLeast) {
        int n = atLeast + r.nextInt(5);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(term(r, depth - 1));
        }
        return out;
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.Tuple;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Encode and decode speed of the benchmark message, a 3-tuple with a 29-byte binary, and of
 * the whole REG_SEND frame distribution writes for it (control tuple + message). Not a test: run
 * {@snippet :
 * java -cp loomix-dist/target/test-classes:loomix-dist/target/classes:loomix-core/target/classes \
 *      io.loomix.dist.term.CodecBench [rounds] [opsPerRound]
 * }
 * Prints, for the last round, wall-clock ns/op, the thread's CPU ns/op (what to read on a busy
 * machine: time the thread spent descheduled is not in it) and bytes allocated per op.
 */
public final class CodecBench {
    private static volatile long sink;
    /** Where decoded values go, so the JIT cannot drop the work. */
    static Object kept;

    private CodecBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        Atom msg = Atom.of("msg");
        byte[] raw = new byte[29];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 37 + 200); // not UTF-8: decodes to a Binary
        }
        Object bytesMessage = Tuple.of(msg, 42L, Binary.of(raw));
        Object textMessage = Tuple.of(msg, 42L, "twenty-nine bytes of text ok!");
        if (((String) ((Tuple) textMessage).get(2)).getBytes(StandardCharsets.UTF_8).length != 29) {
            throw new AssertionError("the text is not 29 bytes");
        }
        Pid from = new Pid(Atom.of("bench@host"), 1, 2, 3);
        Object control = Tuple.of(6L, from, Atom.of(""), Atom.of("receiver"));

        TermEncoder enc = new TermEncoder();
        TermDecoder dec = new TermDecoder();
        for (String name : new String[] {"binary", "text"}) {
            Object m = name.equals("binary") ? bytesMessage : textMessage;
            byte[] one = enc.reset().writeVersioned(m).toByteArray();
            byte[] frame = enc.reset().writeByte(112).writeVersioned(control).writeVersioned(m).toByteArray();
            System.out.printf("message with a 29-byte %s: %d bytes on the wire, REG_SEND frame %d bytes%n",
                    name, one.length, frame.length);
            report("encode message (" + name + ")", rounds, ops, () -> {
                enc.reset().writeVersioned(m);
                return enc.position();
            });
            report("decode message (" + name + ")", rounds, ops, () -> {
                dec.reset(one, 0, one.length);
                kept = dec.readVersioned();
                return dec.position();
            });
            report("encode REG_SEND frame (" + name + ")", rounds, ops, () -> {
                enc.reset().writeByte(112).writeVersioned(control).writeVersioned(m);
                return enc.position();
            });
            report("decode REG_SEND frame (" + name + ")", rounds, ops, () -> {
                dec.reset(frame, 1, frame.length - 1);
                kept = dec.readVersioned();
                kept = dec.readVersioned();
                return dec.position();
            });
        }
    }

    private interface Op {
        int run();
    }

    private static void report(String what, int rounds, int ops, Op op) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long ns = 0;
        long cpu = 0;
        long bytes = 0;
        for (int r = 0; r < rounds; r++) {
            long alloc0 = mx.getCurrentThreadAllocatedBytes();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            int acc = 0;
            for (int i = 0; i < ops; i++) {
                acc += op.run();
            }
            ns = System.nanoTime() - t0;
            cpu = mx.getCurrentThreadCpuTime() - cpu0;
            bytes = mx.getCurrentThreadAllocatedBytes() - alloc0;
            sink += acc;
        }
        System.out.printf("  %-36s %7.1f ns/op wall  %7.1f ns/op cpu  %6.2f M ops/s (cpu)  %4d B/op%n", what,
                (double) ns / ops, (double) cpu / ops, ops * 1e3 / cpu, bytes / ops);
    }
}

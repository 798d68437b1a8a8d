package io.loomix.agent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Whether a class file carries {@link YieldPoints#MARK}, read from its bytes by hand. The loaders
 * ask this of every class they define, and Loomix's own modules come out of the build already
 * rewritten (see {@link Prerewrite}): going through the class-file API for each of them only to
 * find the mark cost each JVM a second of C2 compiling that API at start, which delayed the
 * compilation of the runtime's hot paths into the first seconds of work. This walks the constant
 * pool and skips the fields and methods, no more.
 */
final class Marks {
    private static final byte[] MARK = YieldPoints.MARK.getBytes(StandardCharsets.UTF_8);

    private Marks() {}

    /** Whether the class has the mark as a class attribute; false for anything it cannot read. */
    static boolean marked(byte[] b) {
        try {
            return scan(b);
        } catch (IndexOutOfBoundsException e) {
            return false; // not a class file we can read: the class-file API will say what is wrong
        }
    }

    private static boolean scan(byte[] b) {
        if (u4(b, 0) != 0xCAFEBABE) {
            return false;
        }
        int count = u2(b, 8);
        int at = 10;
        int markIndex = -1;
        for (int i = 1; i < count; i++) {
            int tag = b[at] & 0xFF;
            switch (tag) {
                case 1 -> { // Utf8
                    int length = u2(b, at + 1);
                    if (markIndex < 0 && length == MARK.length
                            && Arrays.equals(b, at + 3, at + 3 + length, MARK, 0, MARK.length)) {
                        markIndex = i;
                    }
                    at += 3 + length;
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> at += 5; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> { // Long, Double: two slots
                    at += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> at += 3; // Class, String, MethodType, Module, Package
                case 15 -> at += 4; // MethodHandle
                default -> {
                    return false;
                }
            }
        }
        if (markIndex < 0) {
            return false; // the usual answer, found without looking past the constant pool
        }
        at += 6; // access flags, this, super
        at += 2 + 2 * u2(b, at); // interfaces
        for (int members = 0; members < 2; members++) { // fields, then methods
            int n = u2(b, at);
            at += 2;
            for (int k = 0; k < n; k++) {
                at = skipAttributes(b, at + 6); // access flags, name, descriptor
            }
        }
        int attributes = u2(b, at);
        at += 2;
        boolean marked = false;
        for (int k = 0; k < attributes; k++) {
            marked |= u2(b, at) == markIndex;
            at += 6 + u4(b, at + 2);
        }
        return marked && at == b.length; // a class file cut short is no marked class
    }

    private static int skipAttributes(byte[] b, int at) {
        int n = u2(b, at);
        at += 2;
        for (int k = 0; k < n; k++) {
            at += 6 + u4(b, at + 2);
        }
        return at;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}

package io.loomix.code;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The object code of one module, as {@code nl} ships it (Erlang's {@code code:get_object_code}):
 * the module's name, where it came from, and the class files of its classes by binary name (the
 * module's class, its nested classes, and any other class its source file declares).
 *
 * <p>{@link #encode()} and {@link #decode(byte[])} are the wire form distribution carries: a
 * version byte, then UTF strings and length-prefixed class files.
 *
 * @param module  the module's name: the binary name of its main class, e.g. {@code Spin} or {@code demo.Spin}
 * @param origin  where it was compiled from, as {@link Code#which} reports it
 * @param classes class file bytes by binary class name; never modified after construction
 */
public record ModuleBinary(String module, String origin, Map<String, byte[]> classes) {
    private static final int FORMAT = 1;

    public ModuleBinary {
        if (module == null || module.isBlank()) {
            throw new IllegalArgumentException("a module binary needs the module's name");
        }
        if (classes == null || !classes.containsKey(module)) {
            throw new IllegalArgumentException("the module binary for " + module + " lacks the class " + module
                    + " itself; it has " + (classes == null ? "no classes" : classes.keySet()));
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        classes.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        classes = java.util.Collections.unmodifiableMap(copy);
        origin = origin == null ? "" : origin;
    }

    /** The class file of {@code className}, or null if it is not part of this module. */
    byte[] classFile(String className) {
        return classes.get(className);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(module);
            out.writeUTF(origin);
            out.writeInt(classes.size());
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code wire} is not what {@link #encode()} makes */
    public static ModuleBinary decode(byte[] wire) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("module binary of format " + format + "; this node reads format "
                        + FORMAT + " (are both nodes the same Loomix version?)");
            }
            String module = in.readUTF();
            String origin = in.readUTF();
            int n = in.readInt();
            Map<String, byte[]> classes = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                classes.put(name, in.readNBytes(in.readInt()));
            }
            return new ModuleBinary(module, origin, classes);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or malformed module binary: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleBinary b && module.equals(b.module) && origin.equals(b.origin)
                && classes.size() == b.classes.size()
                && classes.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.classes.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return module.hashCode();
    }

    @Override
    public String toString() {
        return "ModuleBinary[" + module + ", " + classes.size() + " classes, from " + origin + "]";
    }
}

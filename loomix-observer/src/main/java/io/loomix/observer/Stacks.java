package io.loomix.observer;

import java.util.List;
import java.util.Optional;

/** Reading a process's stack: which frame is its own code, as the shell's {@code i()} reads it. */
final class Stacks {
    /** Where a GenServer (and so a supervisor) waits for its next message: it then answers system messages. */
    static final String GEN_LOOP = "io.loomix.otp.ServerLoop.loop";

    private Stacks() {}

    /** The innermost frame of the process's own code, as {@code Class.method}: not the JDK's, not the runtime's. */
    static Optional<String> current(List<StackTraceElement> stack) {
        return stack.stream().filter(f -> !runtime(f)).findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName());
    }

    private static boolean runtime(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || c.startsWith("io.loomix.internal.") || c.equals("io.loomix.Process");
    }
}

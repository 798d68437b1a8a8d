package io.loomix.internal;

import static io.loomix.Process.*;

/** Started by {@link JdkHooksTest} in a JVM without Loomix's flags: a process must still run. */
public final class JdkHooksProbe {
    private JdkHooksProbe() {}

    public static void main(String[] args) {
        int answer = run(() -> {
            send(self(), 42);
            return (Integer) receive();
        });
        System.out.println("ran: " + answer);
    }
}

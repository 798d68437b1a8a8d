package io.loomix.code;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.loomix.Process.spawn;

/**
 * Run by {@link NoAgentYieldPointsTest} in a JVM of its own with no agent (and no
 * YieldPointClassLoader) and one scheduler: a module compiled by the code server loops with no
 * call in its loop while a second process is spawned. Prints {@code preempted=true|false}.
 */
public final class NoAgentScenario {
    private NoAgentScenario() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("loomix-noagent");
        CodeServer code = new CodeServer(NoAgentScenario.class.getClassLoader());
        code.c(Sources.write(dir, "Tight.java", """
                import java.util.concurrent.CountDownLatch;

                public class Tight {
                    static volatile boolean stop;
                    static long counter;

                    public static void spin(CountDownLatch spinning) {
                        spinning.countDown();
                        while (!stop) {
                            counter++;
                        }
                    }

                    public static void halt() {
                        stop = true;
                    }
                }
                """));
        Mod tight = code.mod("Tight");
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(60_000);
                tight.call("halt"); // ends the loop however the scenario goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        tight.spawn("spin", spinning);
        if (!spinning.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the spinner never started");
        }
        spawn(otherRan::countDown);
        // Preempted within a slice with yield points; without, not before halt.
        boolean preempted = otherRan.await(5, TimeUnit.SECONDS);
        tight.call("halt");
        otherRan.await(30, TimeUnit.SECONDS);
        System.out.println("preempted=" + preempted);
        System.out.println("agents=" + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .stream().filter(a -> a.startsWith("-javaagent") || a.startsWith("-agent")).toList());
        System.exit(0);
    }
}

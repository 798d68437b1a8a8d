package io.loomix.preempt;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.loomix.Process.spawn;

/**
 * Run by {@link NoAgentPreemptionTest} in a JVM of its own, with no agent and one scheduler: a
 * process in a loop that calls nothing ({@link #spin}) holds the only carrier while a second
 * process is spawned. Prints what it saw, one {@code key=value} a line, and exits 0.
 */
public final class TightLoopScenario {
    static volatile boolean stop;
    static long counter;

    private TightLoopScenario() {}

    /** No call, no allocation: only a yield point at its back edge can take the carrier from it. */
    static void spin() {
        while (!stop) {
            counter++;
        }
    }

    public static void main(String[] args) throws Exception {
        // Ends the loop however the scenario goes, so the JVM always exits.
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                return;
            }
            stop = true;
        });
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        ClassLoader[] processContext = new ClassLoader[1];
        spawn(() -> {
            spinning.countDown();
            spin();
        });
        if (!spinning.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the spinner never started");
        }
        spawn(() -> {
            processContext[0] = Thread.currentThread().getContextClassLoader();
            otherRan.countDown();
        });
        // With yield points the spinner is preempted within a slice (a millisecond or so); without,
        // the other process cannot run until the loop ends, which the 5 s wait only bounds.
        boolean preempted = otherRan.await(5, TimeUnit.SECONDS);
        stop = true;
        otherRan.await(30, TimeUnit.SECONDS);
        watchdog.interrupt();
        System.out.println("preempted=" + preempted);
        System.out.println("scenarioLoader=" + TightLoopScenario.class.getClassLoader().getClass().getName());
        System.out.println("runtimeLoader=" + io.loomix.Process.class.getClassLoader().getClass().getName());
        System.out.println("systemLoaderFindsScenario="
                + (Class.forName(TightLoopScenario.class.getName(), false, ClassLoader.getSystemClassLoader())
                        == TightLoopScenario.class));
        System.out.println("processContextIsScenarioLoader=" + (processContext[0] == TightLoopScenario.class.getClassLoader()));
        System.out.println("agents=" + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-javaagent") || a.startsWith("-agent")).toList());
        System.exit(0);
    }
}

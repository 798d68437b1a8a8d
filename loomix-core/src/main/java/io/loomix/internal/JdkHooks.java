package io.loomix.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Every private hook into the JDK that Loomix uses, in one place, each looked up once when the
 * class loads. Each can be missing (another JDK build, or the JVM started without the flag that
 * opens it); {@link #problems} then says which, what to do, and what still works without it, and
 * the scheduler logs that at start-up. The hooks are {@code static final}, so the JIT folds them
 * into their callers as constants: going through this class costs nothing.
 *
 * <ul>
 * <li>The virtual-thread builder with an executor ({@code ThreadBuilders.VirtualThreadBuilder(Executor)})
 *     and {@code Thread.currentCarrierThread()}: Loomix's own scheduler.
 * <li>A virtual thread's task, the {@code Runnable} it gives its executor ({@code VirtualThread.runContinuation}),
 *     and the task's field that holds the thread: the scheduler finds a task's process.
 * <li>{@code Thread.uncaughtExceptionHandler}: each process is its thread's handler, so the running
 *     process is read from its thread.
 * <li>The per-thread allocation counter ({@code com.sun.management.ThreadMXBean}) and its fast
 *     read for the running thread ({@code sun.management.ThreadImpl.getThreadAllocatedMemory0}):
 *     per-process memory accounting.
 * </ul>
 */
final class JdkHooks {
    /** The flag that opens java.lang, which all but the allocation counter need. */
    static final String OPEN_LANG = "--add-opens java.base/java.lang=ALL-UNNAMED";
    static final String OPEN_MANAGEMENT = "--add-opens java.management/sun.management=ALL-UNNAMED";

    /** () -> Thread: the carrier of the running virtual thread (or the thread itself). */
    private static final MethodHandle CURRENT_CARRIER;
    /** VirtualThreadBuilder(Executor), or null. */
    private static final Constructor<?> VIRTUAL_BUILDER;
    /** The class of a virtual thread's task. */
    private static final Class<?> TASK_CLASS;
    /** (Runnable task) -> Thread: the virtual thread that a task of TASK_CLASS runs. */
    private static final MethodHandle TASK_THREAD;
    private static final VarHandle UNCAUGHT_HANDLER;
    private static final com.sun.management.ThreadMXBean THREADS;
    /** (long 0) -> long: the running OS thread's allocated bytes. */
    private static final MethodHandle OWN_COUNTER;

    static {
        MethodHandles.Lookup own = MethodHandles.lookup();
        MethodHandle carrier = null;
        try {
            carrier = MethodHandles.privateLookupIn(Thread.class, own)
                    .findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Reported by problems().
        }
        CURRENT_CARRIER = carrier;

        Constructor<?> builder = null;
        try {
            builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            builder = null;
        }
        VIRTUAL_BUILDER = builder;

        Class<?> taskClass = null;
        MethodHandle taskThread = null;
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            Runnable probe = (Runnable) MethodHandles.privateLookupIn(vt, own)
                    .findVarHandle(vt, "runContinuation", Runnable.class)
                    .get(Thread.ofVirtual().unstarted(() -> {}));
            for (Field f : probe.getClass().getDeclaredFields()) {
                if (Thread.class.isAssignableFrom(f.getType())) {
                    taskThread = MethodHandles.privateLookupIn(probe.getClass(), own)
                            .unreflectGetter(f)
                            .asType(MethodType.methodType(Thread.class, Runnable.class));
                    taskClass = probe.getClass();
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            taskClass = null;
            taskThread = null;
        }
        TASK_CLASS = taskClass;
        TASK_THREAD = taskThread;

        VarHandle handler = null;
        try {
            handler = MethodHandles.privateLookupIn(Thread.class, own)
                    .findVarHandle(Thread.class, "uncaughtExceptionHandler", Thread.UncaughtExceptionHandler.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Reported by problems().
        }
        UNCAUGHT_HANDLER = handler;

        com.sun.management.ThreadMXBean threads = null;
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
                threads = t;
            }
        } catch (RuntimeException | LinkageError e) {
            // Reported by problems().
        }
        THREADS = threads;

        MethodHandle counter = null;
        try {
            Class<?> impl = Class.forName("sun.management.ThreadImpl");
            counter = MethodHandles.privateLookupIn(impl, own)
                    .findStatic(impl, "getThreadAllocatedMemory0", MethodType.methodType(long.class, long.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Reported by problems(); the public read stands in.
        }
        OWN_COUNTER = counter;
    }

    private JdkHooks() {}

    /** Which hooks this JVM has. */
    record Present(boolean scheduler, boolean taskThread, boolean uncaughtHandler, boolean allocationCounter,
                   boolean fastOwnCounter) {}

    static Present present() {
        return new Present(CURRENT_CARRIER != null && VIRTUAL_BUILDER != null, TASK_THREAD != null,
                UNCAUGHT_HANDLER != null, THREADS != null, OWN_COUNTER != null);
    }

    /**
     * One line per missing hook: what is missing, how to get it, and what works without it.
     * Empty when all are there.
     */
    static List<String> problems(Present p) {
        String jdk = "a JDK 25 build whose java.lang matches OpenJDK's (e.g. Eclipse Temurin 25)";
        List<String> out = new ArrayList<>();
        if (!p.scheduler()) {
            out.add("Loomix runs processes on the JDK's default virtual-thread scheduler: it needs the"
                    + " virtual-thread builder with an executor and Thread.currentCarrierThread, so start the"
                    + " JVM with " + OPEN_LANG + " (the ./loomix launcher does) on " + jdk + ". Everything works"
                    + " without them, but CPU-bound processes are not preempted and can starve others,"
                    + " priorities are ignored, and allocations are not counted per process.");
        }
        if (p.scheduler() && !p.taskThread()) {
            out.add("Loomix cannot find a process from its virtual thread's task (VirtualThread.runContinuation"
                    + " is not what JDK 25 has): needs " + jdk + ". Without it priorities are ignored and a"
                    + " process killed while runnable dies at its next receive rather than its next yield point.");
        }
        if (!p.uncaughtHandler()) {
            out.add("Loomix cannot read the running process from its thread (Thread.uncaughtExceptionHandler):"
                    + " start the JVM with " + OPEN_LANG + ". Without it each process is found through a"
                    + " scoped value, which makes spawn about a quarter slower; everything else works.");
        }
        if (!p.allocationCounter()) {
            out.add("This JVM does not count allocated bytes per thread (com.sun.management.ThreadMXBean),"
                    + " so Loomix cannot charge allocations to processes: SpawnOptions.maxHeapBytes is not"
                    + " enforced and Process.info reports memory as -1. Use a HotSpot JVM (e.g. Temurin 25).");
        }
        if (p.allocationCounter() && !p.fastOwnCounter()) {
            out.add("Per-process memory accounting reads the allocation counter the slow way (26 ns instead of"
                    + " 11): start the JVM with " + OPEN_MANAGEMENT + " for the fast read.");
        }
        return out;
    }

    // ---- the hooks ----

    /** A virtual-thread factory whose threads run on {@code executor}, or null without the hook. */
    static ThreadFactory virtualThreadFactory(Executor executor) {
        if (CURRENT_CARRIER == null || VIRTUAL_BUILDER == null) {
            return null;
        }
        try {
            return ((Thread.Builder.OfVirtual) VIRTUAL_BUILDER.newInstance(executor)).factory();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The running thread's carrier (the thread itself if it is a platform thread). */
    static Thread currentCarrierThread() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    static boolean hasCurrentCarrier() {
        return CURRENT_CARRIER != null;
    }

    /** The virtual thread that {@code task} runs, or null if it is not a virtual thread's task. */
    static Thread taskThread(Runnable task) {
        if (TASK_THREAD == null || task.getClass() != TASK_CLASS) {
            return null;
        }
        try {
            return (Thread) TASK_THREAD.invokeExact(task);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    static boolean hasUncaughtHandler() {
        return UNCAUGHT_HANDLER != null;
    }

    /** {@code t}'s own uncaught-exception handler, without the group fallback {@code getUncaughtExceptionHandler} adds. */
    static Thread.UncaughtExceptionHandler uncaughtHandler(Thread t) {
        return (Thread.UncaughtExceptionHandler) UNCAUGHT_HANDLER.get(t);
    }

    static boolean countsAllocations() {
        return THREADS != null;
    }

    /** The running OS thread's allocated bytes (about 11 ns; 26 through the public read), or -1. */
    static long ownAllocatedBytes(Thread carrier) {
        if (OWN_COUNTER != null) {
            try {
                return (long) OWN_COUNTER.invokeExact(0L);
            } catch (Throwable e) {
                return allocatedBytes(carrier);
            }
        }
        return allocatedBytes(carrier);
    }

    /** Another thread's allocated bytes, or -1. */
    static long allocatedBytes(Thread t) {
        return THREADS == null ? -1 : THREADS.getThreadAllocatedBytes(t.threadId());
    }

    /** The calling platform thread's allocated bytes, or -1. */
    static long currentAllocatedBytes() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }
}

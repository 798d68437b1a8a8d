package io.loomix.internal;

import io.loomix.Pid;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** What a hibernated process keeps: no thread, nor what its body captured. */
class HibernatedProcTest {
    @Test
    void aHibernatedProcessHoldsNoThreadAndNotItsBody() throws Exception {
        CompletableFuture<WeakReference<Thread>> first = new CompletableFuture<>();
        Object[] captured = {new byte[1024]};
        WeakReference<Object> body = new WeakReference<>(captured[0]);
        Pid pid = spawn(new Runnable() {
            Object held = captured[0];

            @Override
            public void run() {
                first.complete(new WeakReference<>(Thread.currentThread()));
                throw hibernate(() -> receive());
            }
        });
        captured[0] = null;
        Thread thread = first.get(10, TimeUnit.SECONDS).get(); // the test must not keep the ended thread alive
        assertTrue(thread == null || thread.join(Duration.ofSeconds(10)));
        thread = null;
        Proc proc = Kernel.get().lookup(pid);
        assertEquals(Proc.HIBERNATED, proc.state());
        assertNull(proc.thread);
        assertTrue(proc.bodyClass.getName().contains("HibernatedProcTest"));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (body.get() != null && System.nanoTime() < end) {
            System.gc();
        }
        assertNull(body.get(), "what the body captured must not outlive it");
        exit(pid, io.loomix.ExitReason.KILL);
    }
}

package probe;

import io.loomix.Pid;
import io.loomix.YieldPoint;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import static io.loomix.Process.*;

/** StoppedCarrierTest's load, then SchedulerTest's busy sender at once, in a loop. */
public final class Busy2 {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        int fails = 0;
        for (int i = 0; i < n; i++) {
            AtomicBoolean stop = new AtomicBoolean();
            for (int k = 0; k < 3; k++) spawn(() -> { while (!stop.get()) YieldPoint.poll(); });
            for (int k = 0; k < 2; k++) spawn(() -> { while (!stop.get()) { long u = System.nanoTime() + 2_000_000; while (System.nanoTime() - u < 0) Thread.onSpinWait(); sleep(Duration.ofMillis(1)); } });
            run(() -> {
                Pid me = self();
                Pid p = spawn(() -> { for (;;) { Object m = receive(); if (!(m instanceof Integer x)) return; send(me, x); } });
                for (int k = 0; k < 200; k++) { send(p, k); receive(); }
                send(p, "stop");
                return null;
            });
            stop.set(true);
            AtomicBoolean released = new AtomicBoolean();
            String reply = run(() -> {
                Pid me = self();
                Pid echo = spawn(() -> { receive(); send(me, "echoed"); released.set(true); });
                spawn(() -> {
                    send(echo, "go");
                    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    while (!released.get() && System.nanoTime() - deadline < 0) { Thread.onSpinWait(); }
                    send(me, released.get() ? "ok" : "stuck");
                });
                receive(m -> "echoed".equals(m) ? m : null);
                return (String) receive();
            });
            if (!"ok".equals(reply)) { fails++; System.out.println("round " + i + " stuck"); }
        }
        System.out.printf("fails=%d of %d%n", fails, n);
        System.exit(0);
    }
}

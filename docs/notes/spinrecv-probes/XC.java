import java.util.concurrent.atomic.AtomicLong;
/** Two platform threads pass a counter back and forth through two volatile fields: the floor of a round trip between two spinning carriers. */
public class XC {
    static final AtomicLong ping = new AtomicLong(), pong = new AtomicLong();
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        for (int rep = 0; rep < 5; rep++) {
            ping.set(0); pong.set(0);
            Thread t = new Thread(() -> { for (long i = 1; i <= n; i++) { while (ping.get() != i) Thread.onSpinWait(); pong.set(i); } });
            t.start();
            long t0 = System.nanoTime();
            for (long i = 1; i <= n; i++) { ping.set(i); while (pong.get() != i) Thread.onSpinWait(); }
            long ns = System.nanoTime() - t0;
            t.join();
            System.out.printf("%.2f M round trips/s (%.0f ns each)%n", n * 1e3 / ns, (double) ns / n);
        }
    }
}

package probe;
/** Park-Miller steps in a package the yield-point loader instruments. */
public final class Spin {
    public static void spin(long seed) { long x = seed; for (;;) { x = (x * 16807) % 2147483647; } }
}

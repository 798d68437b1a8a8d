package io.loomix.code;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Classes the code server loads get the agent's yield points, like the application's own: spinners
 * of a module loaded at run time, three per carrier, neither starve the other processes nor
 * escape a kill. Without yield points this test hangs (every carrier stays on a spinner) and
 * its timeout fails it. The suite runs under the agent (see the pom's argLine).
 */
@Timeout(60)
class YieldPointsTest {
    @TempDir
    Path dir;

    @Test
    void spinnersOfALoadedModuleArePreempted() {
        CodeServer code = new CodeServer(getClass().getClassLoader());
        code.c(Sources.write(dir, "Spinner.java", """
                public class Spinner {
                    static volatile long sink;

                    public static void spin(Long seed) {
                        long x = seed;
                        for (;;) {
                            x = x * 6364136223846793005L + 1442695040888963407L;
                            if (x == 42) {
                                sink = x;
                            }
                        }
                    }
                }
                """));
        run(() -> {
            int n = Runtime.getRuntime().availableProcessors() * 3 + 1;
            List<Pid> spinners = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                spinners.add(code.mod("Spinner").spawn("spin", (long) i + 1));
            }
            // Round trips with a fresh process still happen while the spinners run.
            for (int i = 0; i < 20; i++) {
                Pid me = self();
                int k = i;
                spawn(() -> send(me, k));
                int got = receive(m -> m instanceof Integer j && j == k ? j : null);
                assertEquals(k, got);
            }
            for (Pid p : spinners) {
                Ref r = monitor(p);
                exit(p, ExitReason.KILL);
                Down d = receive(m -> m instanceof Down x && x.ref().equals(r) ? x : null);
                assertEquals(ExitReason.KILLED, d.reason());
            }
        });
    }
}

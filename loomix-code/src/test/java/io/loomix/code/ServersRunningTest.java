package io.loomix.code;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.otp.GenServer;
import io.loomix.otp.Sys;
import io.loomix.testkit.Probe;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Sys#serversRunning}: the GenServers of one loaded version, kept by the behaviour as they
 * start, hibernate, change code and stop, which is how a hot swap and a purge find them.
 */
@Timeout(120)
@ExtendWith(ProcessExtension.class)
class ServersRunningTest {
    private static final Probe PROBE = Probe.withTimeout(Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private final CodeServer code = new CodeServer(getClass().getClassLoader());

    /** A counting server that hibernates after every call. */
    private static String sleepy(String version) {
        return """
                import io.loomix.Pid;
                import io.loomix.otp.*;

                public class Sleepy extends GenServer<Integer> {
                    public static Pid start() { return GenServer.start(new Sleepy()); }

                    @Override
                    protected Init<Integer> init() { return ok(0); }

                    @Override
                    protected CallResult<Integer> handleCall(Object req, From from, Integer n) {
                        return reply("%s:" + (n + 1), n + 1).hibernate();
                    }
                }
                """.formatted(version);
    }

    private ClassLoader loaderOfCurrent() {
        return code.currentClass("Sleepy").orElseThrow().getClassLoader();
    }

    @Test
    void serversAreFoundByTheirVersionThroughHibernationCodeChangeAndExit() {
        Path file = Sources.write(dir, "Sleepy.java", sleepy("v1"));
        code.c(file);
        ClassLoader v1 = loaderOfCurrent();
        Pid a = (Pid) code.mod("Sleepy").call("start");
        Pid b = (Pid) code.mod("Sleepy").call("start");
        assertEquals(Set.of(a, b), Set.copyOf(Sys.serversRunning(v1)));

        assertEquals("v1:1", GenServer.call(a, "tick"));
        assertEquals(Set.of(a, b), Set.copyOf(Sys.serversRunning(v1)), "a hibernated server is still found");

        GenServer.stop(b);
        assertEquals(List.of(a), Sys.serversRunning(v1), "a stopped server is gone");

        Sources.write(dir, "Sleepy.java", sleepy("v2"));
        code.c(file);
        ClassLoader v2 = loaderOfCurrent();
        assertEquals(List.of(), Sys.serversRunning(v1), "the server moved");
        assertEquals(List.of(a), Sys.serversRunning(v2));
        assertEquals("v2:2", GenServer.call(a, "tick"), "woke from hibernation in the new version, count kept");
        assertEquals(List.of(a), Sys.serversRunning(v2), "found again after a wake-up and another hibernation");

        Ref down = monitor(a);
        exit(a, ExitReason.KILL);
        PROBE.expectDown(down);
        assertEquals(List.of(), Sys.serversRunning(v2), "a server killed while hibernated is gone");
    }

    @Test
    void aPurgeFindsAHibernatedServerInTheOldVersionAndKillsIt() {
        Path file = Sources.write(dir, "Sleepy.java", sleepy("v1"));
        code.c(file);
        Pid a = (Pid) code.mod("Sleepy").call("start");
        assertEquals("v1:1", GenServer.call(a, "tick"));
        Ref down = monitor(a);
        code.load(code.compile(Sources.write(dir, "Sleepy.java", sleepy("v2"))).get(0)); // loaded, not moved
        assertTrue(code.checkProcessCode(a, "Sleepy"));
        assertTrue(code.purge("Sleepy"));
        assertEquals(ExitReason.KILLED, PROBE.expectDown(down).reason());
    }
}

package io.loomix.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class JdkHooksTest {
    private static final JdkHooks.Present ALL = new JdkHooks.Present(true, true, true, true, true);

    @Test
    void theTestJvmHasEveryHook() {
        // The surefire configuration starts the JVM as ./loomix does.
        assertEquals(ALL, JdkHooks.present(), () -> String.join("\n", JdkHooks.problems(JdkHooks.present())));
        assertEquals(List.of(), JdkHooks.problems(JdkHooks.present()));
        assertTrue(Kernel.get().ownScheduler());
    }

    @Test
    void withoutTheSchedulerHooksTheMessageNamesTheFlagAndWhatStillWorks() {
        List<String> problems = JdkHooks.problems(new JdkHooks.Present(false, false, true, true, true));
        assertEquals(1, problems.size(), problems::toString);
        String message = problems.getFirst();
        assertTrue(message.contains(JdkHooks.OPEN_LANG), message);
        assertTrue(message.contains("default virtual-thread scheduler"), message);
        assertTrue(message.contains("Everything works"), message);
        assertTrue(message.contains("not preempted"), message);
    }

    @Test
    void eachMissingHookHasItsOwnMessage() {
        assertTrue(only(new JdkHooks.Present(true, false, true, true, true)).contains("priorities are ignored"));
        String handler = only(new JdkHooks.Present(true, true, false, true, true));
        assertTrue(handler.contains(JdkHooks.OPEN_LANG) && handler.contains("everything else works"), handler);
        String counter = only(new JdkHooks.Present(true, true, true, false, false));
        assertTrue(counter.contains("maxHeapBytes is not enforced"), counter);
        String fast = only(new JdkHooks.Present(true, true, true, true, false));
        assertTrue(fast.contains(JdkHooks.OPEN_MANAGEMENT), fast);
        assertEquals(List.of(), JdkHooks.problems(ALL));
    }

    private static String only(JdkHooks.Present present) {
        List<String> problems = JdkHooks.problems(present);
        assertEquals(1, problems.size(), problems::toString);
        return problems.getFirst();
    }

    /** The self-check's messages reach the log at start-up, and processes still run. */
    @Test
    void aNodeStartedWithoutTheFlagsSaysWhatIsMissingAndStillRuns() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.lang.Process jvm = new ProcessBuilder(java, "-cp", ForkedJvm.classPath(),
                JdkHooksProbe.class.getName()).redirectErrorStream(true).start();
        byte[] out = jvm.getInputStream().readAllBytes();
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, jvm.exitValue(), text);
        assertTrue(text.contains("default virtual-thread scheduler") && text.contains(JdkHooks.OPEN_LANG), text);
        assertTrue(text.contains(JdkHooks.OPEN_MANAGEMENT), text);
        assertTrue(text.contains("ran: 42"), text);
    }
}

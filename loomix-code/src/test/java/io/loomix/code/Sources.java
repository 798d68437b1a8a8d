package io.loomix.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures: Java source files written where a test's code server compiles them. */
final class Sources {
    private Sources() {}

    static Path write(Path dir, String file, String text) {
        try {
            Path p = dir.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Greeter whose hi() answers {@code word}. */
    static String greeter(String word) {
        return """
                public class Greeter {
                    public static String hi() { return "%s"; }
                    public static String hi(String who) { return "%s, " + who; }
                    public static int twice(int n) { return 2 * n; }
                }
                """.formatted(word, word);
    }

    /**
     * Spin: {@code loop} answers each tick (a pid to answer) with its version and count and tail-calls itself
     * through its module handle, so it moves to new code; {@code stay} loops with a local call
     * (a while loop), so it stays in the version it started in.
     */
    static String spin(String version) {
        return """
                import io.loomix.Pid;
                import io.loomix.code.Code;
                import static io.loomix.Process.*;

                public class Spin {
                    public static Object loop(Integer n) {
                        Object m = receive(x -> x instanceof Pid || "stop".equals(x) ? x : null);
                        if (m instanceof Pid from) {
                            send(from, "%s:" + n);
                            return Code.mod(Spin.class).tail("loop", n + 1);
                        }
                        return "stopped";
                    }

                    public static void stay() {
                        while (true) {
                            Pid from = receive(x -> x instanceof Pid p ? p : null);
                            send(from, "%s:stay");
                        }
                    }
                }
                """.formatted(version, version);
    }

    /**
     * A counting GenServer whose state is a record declared in its own file. Each call increments
     * and answers {@code [version, count]}. {@code label} non-null makes the next version: its
     * State gains a label that codeChange fills in from oldVsn and extra.
     */
    static String counter(String version, String label) {
        String state = label == null ? "public record State(int count) {}"
                : "public record State(int count, String label) {}";
        String next = label == null ? "new State(s.count() + 1)" : "new State(s.count() + 1, s.label())";
        String codeChange = label == null ? "" : """
                    @Override
                    protected State codeChange(Object oldVsn, State s, Object extra) {
                        return new State(s.count(), "%s from " + oldVsn + " " + extra);
                    }
                """.formatted(label);
        String labelCall = label == null ? "" : """
                        if ("label".equals(req)) { return reply(s.label(), s); }
                """;
        return """
                import io.loomix.Pid;
                import io.loomix.otp.*;
                import java.util.List;

                public class Counter extends GenServer<Counter.State> {
                    %s

                    public static Pid start() { return GenServer.start(new Counter()); }

                    @Override
                    protected Init<State> init() { return ok(%s); }

                    @Override
                    protected CallResult<State> handleCall(Object req, From from, State s) {
                %s
                        State n = %s;
                        return reply(List.of("%s", n.count()), n);
                    }
                %s
                }
                """.formatted(state, label == null ? "new State(0)" : "new State(0, \"fresh\")", labelCall, next,
                version, codeChange);
    }
}

package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.testkit.ProcessExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** The README's examples (README-otp.md), kept compiling and true. */
@ExtendWith(ProcessExtension.class)
class ExamplesTest {

    // ---- a counter GenServer ----

    record Inc() {}

    record Get() {}

    static class Counter extends GenServer<Integer> {
        protected Init<Integer> init() { return ok(0); }
        protected CallResult<Integer> handleCall(Object request, From from, Integer n) { return reply(n, n); }
        protected Result<Integer> handleCast(Object request, Integer n) { return noReply(n + 1); }
    }

    @Test
    void counter() {
        Pid counter = GenServer.start(new Counter(), "counter");
        GenServer.cast("counter", new Inc());
        int n = GenServer.call(counter, new Get());
        assertEquals(1, n);
        GenServer.stop(counter);
    }

    // ---- Supervisor.startLink with a strategy ----

    @Test
    void supervisedCounter() {
        Pid sup = Supervisor.startLink(List.of(
                ChildSpec.worker("counter", () -> GenServer.startLink(new Counter(), "sup_counter"))
        ), Strategy.ONE_FOR_ONE);

        Pid first = whereis("sup_counter").orElseThrow();
        GenServer.cast("sup_counter", new Inc());
        Ref down = monitor(first);
        exit(first, ExitReason.KILL);                        // crash it...
        receive(m -> m instanceof Down d && d.ref().equals(down) ? d : null);
        Pid second = Supervisor.whichChildren(sup).getFirst().pid().orElseThrow();
        assertNotEquals(first, second);                      // ...and it is back, with a fresh state
        assertEquals(0, (int) GenServer.call("sup_counter", new Get()));
        unlink(sup);
        exit(sup, ExitReason.SHUTDOWN);
    }

    // ---- an Agent holding shared state ----

    @Test
    void agent() {
        Pid visits = Agent.startLink(() -> Map.<String, Integer>of());
        Agent.update(visits, (Map<String, Integer> m) -> plus(m, "/home"));
        int home = Agent.get(visits, (Map<String, Integer> m) -> m.getOrDefault("/home", 0));
        assertEquals(1, home);
    }

    static Map<String, Integer> plus(Map<String, Integer> m, String page) {
        Map<String, Integer> next = new HashMap<>(m);
        next.merge(page, 1, Integer::sum);
        return Map.copyOf(next);
    }

    // ---- the local half of the talk's Grepex search server ----

    /** A line that matched. */
    record Match(String file, int line, String text) {}

    record Index(String file, String text) {}

    record Search(String regex) {}

    /** Holds documents and greps them, one task per document, at most 4 at a time. */
    static class Grepex extends GenServer<Map<String, List<String>>> {
        protected Init<Map<String, List<String>>> init() { return ok(Map.of()); }

        protected Result<Map<String, List<String>>> handleCast(Object request, Map<String, List<String>> docs) {
            Index doc = (Index) request;
            Map<String, List<String>> next = new HashMap<>(docs);
            next.put(doc.file(), doc.text().lines().toList());
            return noReply(Map.copyOf(next));
        }

        protected CallResult<Map<String, List<String>>> handleCall(Object request, From from,
                                                                   Map<String, List<String>> docs) {
            Pattern p = Pattern.compile(((Search) request).regex());
            List<Match> matches = Task.asyncStream(docs.keySet().stream().sorted().toList(),
                    (String file) -> grep(file, docs.get(file), p), 4).flatMap(List::stream).toList();
            return reply(matches, docs);
        }

        static List<Match> grep(String file, List<String> lines, Pattern p) {
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> p.matcher(lines.get(i)).find())
                    .mapToObj(i -> new Match(file, i + 1, lines.get(i))).toList();
        }
    }

    @Test
    void grepex() {
        GenServer.start(new Grepex(), "grepex");
        GenServer.cast("grepex", new Index("talk.txt", "processes are cheap\nlinks and monitors\nlet it crash"));
        GenServer.cast("grepex", new Index("otp.txt", "supervisors restart processes\ngen_server"));
        List<Match> found = GenServer.call("grepex", new Search("process"));
        assertEquals(List.of(new Match("otp.txt", 1, "supervisors restart processes"),
                new Match("talk.txt", 1, "processes are cheap")), found);
        GenServer.stop("grepex");
    }
}

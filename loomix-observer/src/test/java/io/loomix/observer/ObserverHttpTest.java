package io.loomix.observer;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.otp.ChildSpec;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;
import io.loomix.otp.Strategy;
import io.loomix.otp.Supervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The observer's JSON endpoints, through HTTP, about processes this test starts. */
class ObserverHttpTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Pid> started = new ArrayList<>();
    private Observer observer;

    @BeforeEach
    void start() {
        observer = Observer.start(0);
    }

    @AfterEach
    void stop() {
        observer.stop();
        started.forEach(p -> Process.exit(p, ExitReason.KILL));
    }

    /** A GenServer whose state is an Integer (immutable, so Sys.getState works in strict mode). */
    static final class Holder extends GenServer<Integer> {
        private final int initial;

        Holder(int initial) {
            this.initial = initial;
        }

        @Override
        protected Init<Integer> init() {
            return Init.ok(initial);
        }
    }

    @Test
    void theProcessTableListsAProcessWithItsNameAndQueue() throws Exception {
        Pid waiter = spawnWaiter("observer_http_waiter");
        Process.send(waiter, "one");
        Process.send(waiter, "two");
        Map<String, Object> row = awaitRow(waiter, r -> "waiting".equals(r.get("status")) && Long.valueOf(2).equals(r.get("messageQueueLen")));
        assertEquals("observer_http_waiter", row.get("name"));
        assertTrue(String.valueOf(row.get("current")).startsWith(ObserverHttpTest.class.getName()),
                "current function is the test's own lambda, not the runtime's frames: " + row.get("current"));
    }

    @Test
    void theSystemFiguresCountProcessesAndSchedulers() throws Exception {
        spawnWaiter(null);
        Map<String, Object> s = object(get("/api/system", 200));
        assertEquals((long) Process.schedulers(), s.get("schedulers"));
        assertTrue(Process.schedulers() > 0, "the tests run on Loomix's own carriers");
        assertTrue((Long) s.get("processes") >= 1, s.toString());
        assertEquals((Long) s.get("processes"), (Long) s.get("runnable") + (Long) s.get("waiting"), "every process is counted once: " + s);
        assertEquals(Process.node().toString(), s.get("node"));
        assertEquals(List.of(), s.get("connectedNodes"));
        assertTrue((Long) s.get("heapUsed") > 0 && (Long) s.get("uptimeMillis") > 0, s.toString());
    }

    @Test
    void aProcessShowsItsLinksMonitorsTrapExitAndStack() throws Exception {
        Pid a = spawnWaiter(null);
        Pid b = spawnWaiter(null);
        Pid linked = Process.spawn(() -> {
            Process.trapExit(true);
            Process.link(a);
            Process.monitor(b);
            Process.receive(m -> "never".equals(m) ? m : null);
        });
        started.add(linked);
        Map<String, Object> p = awaitProcess(linked, m -> "waiting".equals(m.get("status")) && !((List<?>) m.get("links")).isEmpty()
                && !((List<?>) m.get("monitors")).isEmpty());
        assertEquals(List.of(a.toString()), p.get("links"));
        assertEquals(List.of(b.toString()), p.get("monitors"));
        assertEquals(true, p.get("trapExit"));
        assertNotNull(p.get("stacktrace"), "a waiting process's stack is read");
        assertNull(p.get("behaviour"), "a plain process is not asked for a state");
        Map<String, Object> watched = object(get("/api/process?pid=" + enc(b), 200));
        assertEquals(List.of(linked.toString()), watched.get("monitoredBy"));
    }

    @Test
    void aGenServersDetailHasItsStateFromSysGetState() throws Exception {
        Pid server = Process.run(() -> GenServer.start(new Holder(4242)));
        started.add(server);
        Map<String, Object> p = awaitProcess(server, m -> m.get("behaviour") != null);
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) p.get("behaviour");
        assertEquals("gen_server", b.get("kind"));
        assertEquals(Holder.class.getName(), b.get("module"));
        assertEquals("4242", b.get("state"));
        Map<String, Object> row = awaitRow(server, r -> r.get("module") != null);
        assertEquals(Holder.class.getName(), row.get("module"), "the table names an idle GenServer's callback class");
    }

    @Test
    void theTreeShowsASupervisorWithItsChildren() throws Exception {
        // A supervisor exits with its parent, so its parent is a process that stays (until the test ends).
        var supervisor = new java.util.concurrent.CompletableFuture<Pid>();
        started.add(Process.spawn(() -> {
            supervisor.complete(Supervisor.startLink(List.of(
                    ChildSpec.worker("holder", () -> GenServer.startLink(new Holder(1))),
                    ChildSpec.supervisor("inner", () -> Supervisor.startLink(List.of(
                            ChildSpec.worker("deep", () -> GenServer.startLink(new Holder(2)))), Strategy.ONE_FOR_ONE))),
                    Strategy.ONE_FOR_ALL));
            Process.receive(m -> "never".equals(m) ? m : null);
        }));
        Pid sup = supervisor.get(20, java.util.concurrent.TimeUnit.SECONDS);
        Map<String, Object> root = awaitTree(sup);
        assertEquals("supervisor", root.get("type"));
        List<?> kids = (List<?>) root.get("children");
        assertEquals(2, kids.size(), root.toString());
        Map<String, Object> holder = child(kids, "holder");
        Map<String, Object> inner = child(kids, "inner");
        assertEquals("worker", holder.get("type"));
        assertEquals("supervisor", inner.get("type"));
        Pid holderPid = Process.run(() -> Supervisor.whichChild(sup, "holder")).flatMap(Supervisor.ChildInfo::pid).orElseThrow();
        assertEquals(holderPid.toString(), holder.get("pid"));
        assertEquals("deep", child((List<?>) inner.get("children"), "deep").get("id"));
    }

    @Test
    void killNeedsAPostWithTheHeaderAndKills() throws Exception {
        Pid victim = spawnWaiter(null);
        String path = "/api/kill?pid=" + enc(victim);
        assertEquals(405, send(HttpRequest.newBuilder(uri(path)).GET()).statusCode());
        assertEquals(403, send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())).statusCode(),
                "a POST without the header (a cross-site form could send one) kills nothing");
        assertTrue(Process.alive(victim));
        Object reason = Process.run(() -> {
            Ref ref = Process.monitor(victim);
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).header(Routes.KILL_HEADER, "kill")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(true, object(r.body()).get("killed"));
            return Process.receive(Duration.ofSeconds(10), m -> m instanceof Down d && d.ref().equals(ref) ? d.reason() : null, () -> null);
        });
        assertEquals(ExitReason.KILLED, reason);
        assertEquals(victim + " is not alive", error(get("/api/process?pid=" + enc(victim), 404)));
    }

    @Test
    void badRequestsGetAnErrorThatSaysWhatToDo() throws Exception {
        assertTrue(error(get("/api/process", 400)).contains("?pid=<0.12.0>"));
        assertTrue(error(get("/api/process?pid=nonsense", 400)).contains("not a pid of this node"));
        assertTrue(error(get("/api/nothing", 404)).contains("the observer serves"));
        assertTrue(get("/", 200).contains("<title>Loomix observer</title>"));
        assertThrows(IllegalStateException.class, () -> Observer.start(0), "one observer per JVM");
        assertEquals(Optional.of(observer), Observer.running());
    }

    // ---- helpers ----

    private Pid spawnWaiter(String name) {
        Pid p = Process.spawn(() -> Process.receive(m -> "never".equals(m) ? m : null));
        started.add(p);
        if (name != null) {
            Process.register(name, p);
        }
        return p;
    }

    /** Polls the process table until the row of {@code pid} satisfies {@code ok} (a process gets to its receive when it gets to it). */
    private Map<String, Object> awaitRow(Pid pid, java.util.function.Predicate<Map<String, Object>> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, Object> last = null;
        while (System.nanoTime() < deadline) {
            for (Object o : (List<?>) MiniJson.parse(get("/api/processes", 200))) {
                Map<String, Object> row = object(o);
                if (pid.toString().equals(row.get("pid"))) {
                    last = row;
                    if (ok.test(row)) {
                        return row;
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the row of " + pid + " never got there; last seen: " + last);
    }

    private Map<String, Object> awaitProcess(Pid pid, java.util.function.Predicate<Map<String, Object>> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, Object> last = null;
        while (System.nanoTime() < deadline) {
            last = object(get("/api/process?pid=" + enc(pid), 200));
            if (ok.test(last)) {
                return last;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the details of " + pid + " never got there; last seen: " + last);
    }

    private Map<String, Object> awaitTree(Pid root) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            last = MiniJson.parse(get("/api/tree", 200));
            for (Object o : (List<?>) last) {
                Map<String, Object> tree = object(o);
                if (root.toString().equals(tree.get("pid")) && tree.get("children") instanceof List<?> kids && kids.size() == 2
                        && child(kids, "inner").get("children") instanceof List<?> deep && !deep.isEmpty()) {
                    return tree;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no tree from " + root + "; last seen: " + last);
    }

    private static String error(String body) {
        return (String) object(body).get("error");
    }

    private static Map<String, Object> child(List<?> children, String id) {
        return children.stream().map(ObserverHttpTest::object).filter(c -> id.equals(c.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no child " + id + " in " + children));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object json) {
        return (Map<String, Object>) (json instanceof String s ? MiniJson.parse(s) : json);
    }

    private String get(String path, int status) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).GET());
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        assertFalse(r.body().isEmpty());
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private URI uri(String path) {
        return observer.uri().resolve(path.replace("<", "%3C").replace(">", "%3E"));
    }

    private static String enc(Pid pid) {
        return URLEncoder.encode(pid.toString(), StandardCharsets.UTF_8);
    }
}

package io.loomix.observer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** The observer's HTTP endpoints: the page and the JSON it polls (listed in {@link Observer}). */
final class Routes {
    /** The header a kill needs: a cross-site form cannot set it, and a cross-site script would need a CORS answer it never gets. */
    static final String KILL_HEADER = "X-Loomix-Observer";

    private final Inspect inspect;
    private final byte[] page;

    private Routes(Inspect inspect) {
        this.inspect = inspect;
        try (InputStream in = Routes.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("the observer's page (io/loomix/observer/index.html) is missing from its jar");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void install(HttpServer server, Inspect inspect) {
        Routes r = new Routes(inspect);
        server.createContext("/", r::handle);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (RuntimeException e) {
            // One bad request must not take the observer down: it answers 500 and serves the next.
            error(ex, 500, "the observer failed on " + ex.getRequestURI() + ": " + e);
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/", "/index.html" -> {
                if (get(ex, method)) {
                    send(ex, 200, "text/html; charset=utf-8", page);
                }
            }
            case "/api/system" -> {
                if (get(ex, method)) {
                    json(ex, 200, inspect.system());
                }
            }
            case "/api/processes" -> {
                if (get(ex, method)) {
                    json(ex, 200, inspect.processes());
                }
            }
            case "/api/tree" -> {
                if (get(ex, method)) {
                    json(ex, 200, inspect.trees());
                }
            }
            case "/api/process" -> {
                if (get(ex, method)) {
                    Optional<Pid> pid = pid(ex);
                    if (pid.isPresent()) {
                        Optional<Map<String, Object>> p = inspect.process(pid.get());
                        if (p.isPresent()) {
                            json(ex, 200, p.get());
                        } else {
                            error(ex, 404, pid.get() + " is not alive");
                        }
                    }
                }
            }
            case "/api/kill" -> kill(ex, method);
            default -> error(ex, 404, "no such page: " + path + "; the observer serves / and /api/{system,processes,process,tree,kill}");
        }
    }

    private void kill(HttpExchange ex, String method) throws IOException {
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            error(ex, 405, "kill is a POST");
            return;
        }
        if (!"kill".equals(ex.getRequestHeaders().getFirst(KILL_HEADER))) {
            error(ex, 403, "a kill needs the header " + KILL_HEADER + ": kill (the observer's page sends it)");
            return;
        }
        Optional<Pid> pid = pid(ex);
        if (pid.isEmpty()) {
            return;
        }
        boolean wasAlive = Process.alive(pid.get());
        Process.exit(pid.get(), ExitReason.KILL);
        json(ex, 200, Map.of("pid", pid.get(), "killed", wasAlive));
    }

    /** The {@code pid} query parameter; answers 400 itself when it is missing or malformed. */
    private static Optional<Pid> pid(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("pid=")) {
                    String text = URLDecoder.decode(kv.substring(4), StandardCharsets.UTF_8);
                    Optional<Pid> pid = Inspect.parsePid(text);
                    if (pid.isEmpty()) {
                        error(ex, 400, "pid=" + text + " is not a pid of this node; write it as <0.12.0>");
                    }
                    return pid;
                }
            }
        }
        error(ex, 400, "this needs ?pid=<0.12.0>");
        return Optional.empty();
    }

    private static boolean get(HttpExchange ex, String method) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET");
        error(ex, 405, method + " is not served here; use GET");
        return false;
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("error", message));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            ex.getResponseBody().write(body);
        }
    }
}

package io.loomix.observer;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Erlang's {@code observer}, served by the node itself: open {@link #uri()} in a browser to see the
 * node's figures (processes, schedulers, run queue, memory, uptime, connected nodes), a sortable
 * process table, one process's links, monitors, stack and GenServer state, the supervision trees,
 * and to kill a process. The page polls JSON endpoints, which scripts may read too:
 *
 * <ul>
 *   <li>{@code GET /api/system}: the node's figures</li>
 *   <li>{@code GET /api/processes}: one row per process</li>
 *   <li>{@code GET /api/process?pid=<0.12.0>}: one process's details (404 when it is not alive)</li>
 *   <li>{@code POST /api/kill?pid=<0.12.0>}: {@code exit(Pid, kill)}; needs the header
 *       {@code X-Loomix-Observer: kill}, which a page of another site cannot send</li>
 *   <li>{@code GET /api/tree}: the supervision trees</li>
 * </ul>
 *
 * {@snippet :
 * Observer o = Observer.start(8421);            // 0: any free port
 * System.out.println("observer at " + o.uri());  // http://127.0.0.1:8421/
 * o.stop();
 * }
 *
 * <p>It listens on the loopback interface only, unless started with another address: it can kill
 * any process of the node and shows their state, so it is not for an open network. Requests are
 * served by two platform threads of its own, never on a carrier. One observer per JVM at a time.
 */
public final class Observer {
    private static final Object LOCK = new Object();
    private static Observer running;

    private final HttpServer server;
    private final ExecutorService threads;
    private final URI uri;

    private Observer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        this.uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** Starts the observer on {@code port} of the loopback interface (0: any free port); no connected nodes known. */
    public static Observer start(int port) {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), List::of);
    }

    /**
     * Starts the observer on {@code address}; {@code connectedNodes} answers Erlang's
     * {@code nodes()} for the System tab (distribution supplies it: the observer does not depend
     * on it).
     *
     * @throws IllegalStateException if an observer is already running in this JVM (stop it first)
     * @throws UncheckedIOException  if the address cannot be bound (say, the port is in use)
     */
    public static Observer start(InetSocketAddress address, Supplier<List<String>> connectedNodes) {
        Objects.requireNonNull(address, "start: address must not be null");
        Objects.requireNonNull(connectedNodes, "start: connectedNodes must not be null (use List::of)");
        synchronized (LOCK) {
            if (running != null) {
                throw new IllegalStateException("an observer is already running at " + running.uri
                        + "; stop it first (Observer.running().get().stop())");
            }
            HttpServer server;
            try {
                server = HttpServer.create(address, 16);
            } catch (IOException e) {
                throw new UncheckedIOException("the observer cannot listen on " + address + " (" + e.getMessage()
                        + "); choose another port, or 0 for any free one", e);
            }
            ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "loomix-observer-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(threads);
            Routes.install(server, new Inspect(connectedNodes));
            server.start();
            running = new Observer(server, threads);
            return running;
        }
    }

    /** The observer running in this JVM, if any. */
    public static Optional<Observer> running() {
        synchronized (LOCK) {
            return Optional.ofNullable(running);
        }
    }

    /** Where the page is: {@code http://127.0.0.1:PORT/}. */
    public URI uri() {
        return uri;
    }

    /** Stops serving; requests under way get up to a second to finish. */
    public void stop() {
        synchronized (LOCK) {
            if (running == this) {
                running = null;
            }
        }
        server.stop(1);
        threads.shutdownNow();
    }
}

package io.loomix.observer;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.otp.ChildSpec;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;
import io.loomix.otp.Strategy;
import io.loomix.otp.Supervisor;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The observer while processes, GenServers and supervisors come and go under it: every answer is a
 * 200 (or a 404 for a process that went), never a 500 and never a hang, whichever process exits
 * between the list and the question (a Sys call to a server that just exited, a supervisor gone
 * between Sys.module and whichChildren).
 */
class ObserverStressTest {
    static final class Idle extends GenServer<Integer> {
        @Override
        protected Init<Integer> init() {
            return Init.ok(0);
        }
    }

    @Test
    void answersStayWholeWhileProcessesComeAndGo() throws Exception {
        Observer observer = Observer.start(0);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch churned = new CountDownLatch(1);
        Pid churn = Process.spawn(() -> {
            for (int round = 0; !stop.get(); round++) {
                List<Pid> made = new ArrayList<>();
                made.add(GenServer.start(new Idle()));
                made.add(Process.spawn(() -> Process.receive(m -> m)));
                made.add(Supervisor.startLink(List.of(ChildSpec.worker("w", () -> GenServer.startLink(new Idle()))),
                        Strategy.ONE_FOR_ONE));
                Process.unlink(made.get(2));
                for (Pid p : made) {
                    Process.exit(p, ExitReason.KILL);
                }
                if (round == 20) {
                    churned.countDown();
                }
            }
        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            assertTrue(churned.await(60, TimeUnit.SECONDS), "the churn got going");
            int notFound = 0;
            for (int i = 0; i < 60; i++) {
                for (String path : List.of("/api/processes", "/api/tree", "/api/system")) {
                    assertEquals(200, get(http, observer.uri().resolve(path)).statusCode(), path);
                }
                for (Object row : (List<?>) MiniJson.parse(get(http, observer.uri().resolve("/api/processes")).body())) {
                    String pid = (String) ((Map<?, ?>) row).get("pid");
                    int status = get(http, observer.uri().resolve("/api/process?pid=" + pid.replace("<", "%3C").replace(">", "%3E")))
                            .statusCode();
                    assertTrue(status == 200 || status == 404, pid + " answered " + status);
                    notFound += status == 404 ? 1 : 0;
                }
            }
            System.out.println("ObserverStressTest: processes gone between the list and the question: " + notFound);
        } finally {
            stop.set(true);
            Process.exit(churn, ExitReason.KILL);
            observer.stop();
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

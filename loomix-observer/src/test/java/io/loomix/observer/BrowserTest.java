package io.loomix.observer;

import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The observer's page in a real browser: Debian's Chromium, headless, loads the Processes tab,
 * runs its scripts (which fetch {@code /api/processes} and build the table) and prints the DOM it
 * ended with. Skipped, saying so, where Chromium is not installed ({@code .ci/run} installs it).
 */
class BrowserTest {
    @Test
    void aSpawnedProcessAppearsInTheRenderedProcessTable() throws Exception {
        Optional<Path> chromium = chromium();
        assumeTrue(chromium.isPresent(), "Chromium is not installed (looked for /usr/bin/chromium and chromium on the PATH),"
                + " so the observer's page is not tried in a browser; install it with: apt-get install chromium");
        Pid p = Process.spawn(() -> Process.receive(m -> "never".equals(m) ? m : null));
        Process.register("observer_browser_probe", p);
        Observer observer = Observer.start(0);
        Path profile = Files.createTempDirectory("loomix-observer-chromium");
        try {
            String dom = dumpDom(chromium.get(), profile, observer.uri() + "#processes");
            String row = "<td>" + escape(p.toString()) + "</td><td>observer_browser_probe</td>";
            assertTrue(dom.contains("data-loaded=\"yes\""), "the page's scripts ran and fetched the table:\n" + clip(dom));
            assertTrue(dom.contains(row), "the process table shows " + p + " with its name (" + row + "):\n" + clip(dom));
        } finally {
            observer.stop();
            Process.exit(p, ExitReason.KILL);
            deleteTree(profile);
        }
    }

    /**
     * Chromium's {@code --dump-dom} prints the DOM once the page has loaded; the virtual time
     * budget lets the page's fetches and timers run first (virtual time does not advance while a
     * request is under way), so the table is built by then.
     */
    private static String dumpDom(Path chromium, Path profile, String url) throws IOException, InterruptedException {
        List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url);
        java.lang.Process browser = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            if (!browser.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium did not finish within 90 s: " + command);
            }
            return out.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("could not read Chromium's output", e);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        }
    }

    private static Optional<Path> chromium() {
        Path debian = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(debian)) {
            return Optional.of(debian);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "chromium")).filter(Files::isExecutable).findFirst();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String dom) {
        return dom.length() <= 6000 ? dom : dom.substring(0, 6000) + "...";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

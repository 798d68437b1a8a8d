package io.loomix.dist.testing;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * The tests' System.Logger: keeps every line the runtime logs for {@link LogCapture} and prints
 * warnings and errors to stderr. Found through META-INF/services on the test classpath.
 */
public final class CapturingLoggerFinder extends System.LoggerFinder {
    static final LinkedBlockingQueue<String> LINES = new LinkedBlockingQueue<>(100_000);

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return level.getSeverity() >= Level.INFO.getSeverity();
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                record(level, msg, thrown);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                record(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params), null);
            }

            @Override
            public void log(Level level, Supplier<String> msg) {
                if (isLoggable(level)) {
                    record(level, msg.get(), null);
                }
            }

            private void record(Level level, String msg, Throwable thrown) {
                if (!isLoggable(level)) {
                    return;
                }
                String line = level + " " + name + ": " + msg;
                LINES.offer(line);
                if (level.getSeverity() >= Level.WARNING.getSeverity()) {
                    System.err.println(line);
                    if (thrown != null) {
                        thrown.printStackTrace();
                    }
                }
            }
        };
    }
}

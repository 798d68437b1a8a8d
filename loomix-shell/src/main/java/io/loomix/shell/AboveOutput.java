package io.loomix.shell;

import org.jline.reader.LineReader;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * System.out and System.err in the interactive shell: whole lines go above the prompt
 * ({@link LineReader#printAbove}), so what processes print while the user types does not tear
 * the line being edited. A partial line waits for its newline, or a flush.
 */
final class AboveOutput extends OutputStream {
    private final LineReader reader;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    AboveOutput(LineReader reader) {
        this.reader = reader;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            pending.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                pending.write(b, start, i - start);
                emit();
                start = i + 1;
            }
        }
        pending.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        reader.printAbove(line);
    }
}

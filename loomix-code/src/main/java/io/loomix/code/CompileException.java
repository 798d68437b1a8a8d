package io.loomix.code;

/**
 * {@code c()} failed: the message is what the Java compiler reported, in its own format
 * ({@code Spin.java:12: error: ';' expected} with the source line and a caret). Nothing was loaded.
 */
public final class CompileException extends RuntimeException {
    public CompileException(String compilerOutput) {
        super(compilerOutput, null, false, false);
    }
}

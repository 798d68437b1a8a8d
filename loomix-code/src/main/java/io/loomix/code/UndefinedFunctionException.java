package io.loomix.code;

/**
 * Erlang's {@code undef}: a fully qualified call named a module that is not loaded, or a function
 * its current version does not export (as a public static method taking those arguments).
 */
public final class UndefinedFunctionException extends RuntimeException {
    public UndefinedFunctionException(String message) {
        super(message);
    }
}

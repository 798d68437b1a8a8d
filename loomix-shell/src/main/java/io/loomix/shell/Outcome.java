package io.loomix.shell;

/** What one snippet did, as the shell reports it. */
sealed interface Outcome {
    /** An expression's or a variable's value, as JShell prints values (strings quoted). */
    record Value(String name, String value) implements Outcome {}

    /** A method, class, interface, record or enum was declared ({@code modified}: replaced one). */
    record Declared(String kind, String name, boolean modified) implements Outcome {}

    /** A statement, an import or a void call: nothing to show. */
    record Done() implements Outcome {}

    /** The snippet threw: {@code text} names the exception and where. */
    record Threw(String text) implements Outcome {}

    /** The shell process exited while running it; a new one took over. */
    record Exited(String text) implements Outcome {}

    /** Ctrl-C stopped it. */
    record Stopped() implements Outcome {}

    /** It did not compile: the compiler's messages with the source line and a caret. */
    record Rejected(String text) implements Outcome {}

    /** The text the shell prints for it; empty for nothing. */
    static String render(Outcome o) {
        return switch (o) {
            case Value(String name, String value) -> name + " ==> " + value;
            case Declared(String kind, String name, boolean modified) -> (modified ? "modified " : "created ") + kind + " " + name;
            case Done d -> "";
            case Threw(String text) -> text;
            case Exited(String text) -> text;
            case Stopped s -> "** stopped (Ctrl-C)";
            case Rejected(String text) -> text;
        };
    }
}

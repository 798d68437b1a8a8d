package io.loomix;

/**
 * {@link Process}'s methods under a name that nothing in {@code java.lang} hides: with
 * {@code import io.loomix.*;} the simple name {@code Process} is ambiguous (it is also
 * {@code java.lang.Process}), while {@code Loomix.spawn(...)}, {@code Loomix.run(...)} and every
 * other primitive resolve here. Static methods are inherited, so this class adds nothing of its own.
 *
 * {@snippet :
 * import io.loomix.*;
 *
 * Pid echo = Loomix.spawn(() -> Loomix.send(Loomix.self(), Loomix.receive()));
 * String answer = Loomix.run(() -> "from a process");
 * }
 */
public final class Loomix extends Process {
    private Loomix() {}
}

package io.loomix;

import static io.loomix.Process.receive;

/** Test helpers: wait for the message that says something happened, instead of sleeping. */
final class Await {
    private Await() {}

    /** The Down message for {@code ref}; other messages stay queued. */
    static Down down(Ref ref) {
        return receive(m -> m instanceof Down d && d.ref().equals(ref) ? d : null);
    }

    /** The Exit message from {@code from}; other messages stay queued. */
    static Exit exit(Pid from) {
        return receive(m -> m instanceof Exit e && e.from().equals(from) ? e : null);
    }
}

package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Ref;

import static io.loomix.Process.*;
import static org.junit.jupiter.api.Assertions.*;

/** Small helpers the behaviour tests share: waiting for Downs and reading call failures. */
final class Probe {
    private Probe() {}

    static Down awaitDown(Ref ref) {
        return receive(m -> m instanceof Down d && d.ref().equals(ref) ? d : null);
    }

    /** Runs {@code body} in a monitored process and returns the reason it exits with. */
    static ExitReason exitReasonOf(Runnable body) {
        Monitored m = spawnMonitor(body);
        return awaitDown(m.ref()).reason();
    }

    /** The CallFailed a caller exited with; fails the test if it exited some other way. */
    static CallFailed callFailure(ExitReason reason) {
        if (reason instanceof ExitReason.Term(CallFailed f)) {
            return f;
        }
        return fail("expected the caller to exit with CallFailed, but it exited with " + reason);
    }
}

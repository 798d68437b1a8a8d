package io.loomix.otp;

import io.loomix.ExitReason;

import static org.junit.jupiter.api.Assertions.*;

/** Reads the reason a GenServer caller exited with (the rest of the old helpers is the test kit's Probe). */
final class CallFailures {
    private CallFailures() {}

    /** The CallFailed a caller exited with; fails the test if it exited some other way. */
    static CallFailed callFailure(ExitReason reason) {
        if (reason instanceof ExitReason.Term(CallFailed f)) {
            return f;
        }
        return fail("expected the caller to exit with CallFailed, but it exited with " + reason);
    }
}

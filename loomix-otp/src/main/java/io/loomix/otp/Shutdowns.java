package io.loomix.otp;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Ref;

import java.time.Duration;

import static io.loomix.Process.*;

/**
 * How a supervisor stops a child, as OTP does: monitor it, unlink (dropping an exit that already
 * arrived), send exit {@code shutdown}, wait for the Down up to the timeout, then kill.
 * {@code brutal_kill} kills at once; {@code infinity} waits as long as it takes.
 */
final class Shutdowns {
    private Shutdowns() {}

    /** Stops {@code pid} and returns the reason it exited with, once it has exited. */
    static ExitReason stop(Pid pid, ChildSpec.Shutdown how) {
        Ref mref = monitor(pid);
        unlink(pid);
        ProcLib.flushExit(pid);
        switch (how) {
            case ChildSpec.Shutdown.BrutalKill k -> exit(pid, ExitReason.KILL);
            case ChildSpec.Shutdown.Infinity i -> exit(pid, ExitReason.SHUTDOWN);
            case ChildSpec.Shutdown.Timeout(Duration timeout) -> {
                exit(pid, ExitReason.SHUTDOWN);
                Down down = receive(mref, timeout, m -> m instanceof Down d && d.ref().equals(mref) ? d : null,
                        () -> null);
                if (down != null) {
                    return down.reason();
                }
                exit(pid, ExitReason.KILL);
            }
        }
        return receive(mref, m -> m instanceof Down d && d.ref().equals(mref) ? d.reason() : null);
    }
}

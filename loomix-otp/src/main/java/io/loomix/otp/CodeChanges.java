package io.loomix.otp;

import io.loomix.ExitReason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link Sys#changeCode(List, Duration)}: suspend, code change and resume for several servers,
 * with as few waits as the order allows. Every wait in a server's suspension is a round trip to
 * this process, which may wait for a carrier; so the requests a server handles in a row are sent
 * in a row, and it never waits for this process between its code change and its resume.
 */
final class CodeChanges {
    private CodeChanges() {}

    static List<Sys.Changed> run(List<Sys.Change> changes, Duration timeout) {
        Objects.requireNonNull(changes, "changeCode: changes must not be null");
        Gen.checkTimeout(timeout, "Sys.changeCode");
        List<Sys.Changed> out = new ArrayList<>(changes.size());
        if (changes.isEmpty()) {
            return out;
        }
        long deadline = deadline(timeout);
        List<Gen.PendingSystem> suspends = new ArrayList<>(changes.size());
        for (Sys.Change c : changes) {
            suspends.add(Gen.sendSystem(c.server(), new Sys.Suspend()));
        }
        Object[] suspended = new Object[changes.size()];
        for (int i = 0; i < suspends.size(); i++) {
            suspended[i] = Gen.awaitSystem(suspends.get(i), deadline);
            if (suspended[i] instanceof Gen.NoAnswer) {
                // It may still get to the suspend: a resume queued behind it keeps it from staying suspended.
                Gen.awaitSystem(Gen.sendSystem(changes.get(i).server(), new Sys.Resume()), System.nanoTime());
            }
        }
        Gen.PendingSystem[] change = new Gen.PendingSystem[changes.size()];
        Gen.PendingSystem[] resume = new Gen.PendingSystem[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            if (!(suspended[i] instanceof Gen.NoAnswer)) {
                change[i] = Gen.sendSystem(changes.get(i).server(), codeChange(changes.get(i)));
                resume[i] = Gen.sendSystem(changes.get(i).server(), new Sys.Resume());
            }
        }
        deadline = deadline(timeout);
        for (int i = 0; i < changes.size(); i++) {
            Sys.Change c = changes.get(i);
            if (change[i] == null) {
                out.add(outcome(c, suspended[i]));
            } else {
                Object changed = Gen.awaitSystem(change[i], deadline);
                Gen.awaitSystem(resume[i], deadline);
                out.add(outcome(c, changed));
            }
        }
        return out;
    }

    private static Sys.CodeChange codeChange(Sys.Change c) {
        return new Sys.CodeChange(c.newCode(), c.oldVsn(), c.extra(), c.convertState());
    }

    private static long deadline(Duration timeout) {
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos();
        return System.nanoTime() + nanos;
    }

    /**
     * {@code changed}: the answer to the code change, or to the suspend that failed. Once the code
     * changed, the resume is already in the server's mailbox, behind nothing it waits for.
     */
    private static Sys.Changed outcome(Sys.Change c, Object changed) {
        return switch (changed) {
            case Gen.NoAnswer(ExitReason reason) -> new Sys.Changed.Stayed(c.server(), "it did not answer: " + reason);
            case Sys.Error(String what) -> new Sys.Changed.Stayed(c.server(), what);
            default -> new Sys.Changed.Moved(c.server());
        };
    }
}

package io.loomix.otp;

import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Process;
import io.loomix.Pid;
import io.loomix.Ref;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import static io.loomix.Process.*;

/**
 * Erlang's {@code proc_lib}: starting a process that acknowledges its init, so that
 * {@code start} returns only once the process is ready (or has failed, or timed out).
 */
final class ProcLib {
    private ProcLib() {}

    /** The child's answer to its starter. */
    sealed interface Ack {}

    record Started() implements Ack {}

    record Failed(ExitReason reason) implements Ack {}

    record AckMessage(Ref tag, Ack ack) {}

    /** What the child calls, once, to answer its starter. */
    @FunctionalInterface
    interface Acker {
        void ack(Ack ack);
    }

    /**
     * Starts {@code body}, linked to the caller if {@code link}, and waits until it acks.
     *
     * @return the new process, once it acked {@link Started}
     * @throws StartException when it acked {@link Failed} (the process has then exited), exited
     *                        before acking, or did not ack within {@code timeout} (it is killed)
     */
    static Pid start(Consumer<Acker> body, boolean link, Duration timeout) {
        Objects.requireNonNull(timeout, "start: timeout must not be null");
        Pid parent = self();
        Ref tag = makeRef();
        Acker acker = ack -> send(parent, new AckMessage(tag, ack));
        Runnable run = () -> body.accept(acker);
        Pid pid;
        Ref mref;
        if (link) {
            pid = spawnLink(run);
            mref = monitor(pid);
        } else {
            Monitored m = spawnMonitor(run);
            pid = m.pid();
            mref = m.ref();
        }
        // The ack may come before the monitor was made, so this receive looks at the whole mailbox.
        Object answer = receive(timeout, m -> switch (m) {
            case AckMessage a when a.tag().equals(tag) -> a.ack();
            case Down d when d.ref().equals(mref) -> new Failed(d.reason());
            default -> null;
        }, () -> null);
        if (answer instanceof Started) {
            demonitor(mref, true);
            return pid;
        }
        if (answer == null) {
            if (link) {
                unlink(pid);
            }
            exit(pid, ExitReason.KILL);
            awaitDown(mref);
            if (link) {
                flushExit(pid);
            }
            throw new StartException(ExitReason.of(Gen.TIMEOUT));
        }
        // Like OTP 26, return only once the failed process is gone, so a restart never overlaps it.
        if (!(answer instanceof Failed f)) {
            throw new IllegalStateException("unexpected ack " + answer);
        }
        awaitDown(mref);
        throw new StartException(f.reason());
    }

    static void awaitDown(Ref mref) {
        receive(mref, m -> m instanceof Down d && d.ref().equals(mref) ? d : null);
    }

    /** Removes an {@link Exit} from {@code pid} that arrived before an unlink. */
    static void flushExit(Pid pid) {
        receive(Duration.ZERO, m -> m instanceof Exit e && e.from().equals(pid) ? e : null, () -> null);
    }

    /**
     * The exit reason a throwable stands for: a process exit ({@code exit(reason)}, or an exit
     * signal that reached the process) keeps its reason; anything else is a crash.
     */
    static ExitReason reasonOf(Throwable t) {
        return Process.exitReasonOf(t);
    }

    /** Whether {@code t} is an untrappable kill reaching the process (OTP runs no terminate then). */
    static boolean isKilled(Throwable t) {
        return Process.exitReasonOf(t) == ExitReason.KILLED;
    }
}

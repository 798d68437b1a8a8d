package io.loomix.otp;

import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.ExitReason;
import io.loomix.Process;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.SpawnOptions;

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

    /** How the new process is tied to its starter once it has started. */
    enum Tie { NONE, LINK, MONITOR }

    /** A started process and, when started with {@link Tie#MONITOR}, the starter's monitor on it. */
    record Spawned(Pid pid, Ref monitor) {}

    /**
     * Starts {@code body}, tied to the caller as {@code tie} says, and waits until it acks.
     *
     * <p>Like OTP 26's {@code proc_lib}: when the start fails, this returns only once the failed
     * process is gone (so a restart never overlaps it), and a trapping caller finds no
     * {@code Exit} from it in its mailbox.
     *
     * @return the new process, once it acked {@link Started}, with the monitor for {@link Tie#MONITOR}
     * @throws StartException when it acked {@link Failed}, exited before acking (with its exit
     *                        reason, {@code killed} if it was killed), or did not ack within
     *                        {@code timeout} ({@code timeout}; it is killed)
     */
    static Spawned start(Consumer<Acker> body, Tie tie, SpawnOptions options, Duration timeout) {
        Objects.requireNonNull(timeout, "start: timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("start: timeout must be >= 0 or GenServer.INFINITY, was " + timeout);
        }
        Pid parent = self();
        Ref tag = makeRef();
        Acker acker = ack -> send(parent, new AckMessage(tag, ack));
        Runnable run = () -> body.accept(acker);
        Pid pid;
        Ref mref;
        if (tie == Tie.LINK) {
            pid = spawnLink(options, run);
            mref = monitor(pid);
        } else {
            Monitored m = spawnMonitor(options, run);
            pid = m.pid();
            mref = m.ref();
        }
        // The ack may come before the monitor was made, so this receive looks at the whole mailbox.
        Object answer = receive(timeout, m -> switch (m) {
            case AckMessage a when a.tag().equals(tag) -> a.ack();
            case Down d when d.ref().equals(mref) -> d;
            default -> null;
        }, () -> null);
        switch (answer) {
            case Started s -> {
                if (tie == Tie.MONITOR) {
                    return new Spawned(pid, mref);
                }
                demonitor(mref, true);
                return new Spawned(pid, null);
            }
            case null -> {
                if (tie == Tie.LINK) {
                    unlink(pid); // its killed exit must not take a non-trapping caller along
                }
                exit(pid, ExitReason.KILL);
                awaitDown(mref);
                forget(pid, tie);
                throw new StartException(ExitReason.of(Gen.TIMEOUT));
            }
            case Failed(ExitReason reason) -> {
                awaitDown(mref);
                forget(pid, tie);
                throw new StartException(reason);
            }
            case Down d -> {
                forget(pid, tie);
                throw new StartException(d.reason());
            }
            default -> throw new IllegalStateException("unexpected ack " + answer);
        }
    }

    /** After the process is gone: no link left, no Exit from it in the mailbox. */
    private static void forget(Pid pid, Tie tie) {
        if (tie == Tie.LINK) {
            unlink(pid);
            flushExit(pid);
        }
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

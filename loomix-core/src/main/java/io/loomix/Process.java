package io.loomix;

import io.loomix.internal.Kernel;
import io.loomix.internal.Signals;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Erlang's process primitives, as static methods to import: {@code import static io.loomix.Process.*;}.
 * The class name clashes with {@code java.lang.Process} under {@code import io.loomix.*;}: import
 * the methods statically, import {@code io.loomix.Process} by name, or call them through
 * {@link Loomix} ({@code Loomix.run(...)}), the same methods under a name no JDK class has.
 *
 * {@snippet :
 * record Ping(Pid from) {}
 * record Pong() {}
 *
 * Pid ponger = spawn(() -> {
 *     while (true) {
 *         receive(msg -> switch (msg) {
 *             case Ping(Pid from) -> send(from, new Pong());
 *             default -> null;
 *         });
 *     }
 * });
 * send(ponger, new Ping(self()));
 * receive(msg -> msg instanceof Pong ? msg : null);
 * }
 *
 * <p>A process is a function running on a virtual thread of its own, scheduled by Loomix over a
 * few OS threads. Processes share nothing: they talk only by messages, which must be immutable
 * values (checked in strict mode, {@code -Dloomix.strict=true}). Calls that act on "the calling
 * process" ({@link #self()}, {@link #receive}, {@link #link}, {@link #monitor}, ...) must run
 * inside a process; from other threads use {@link #run(Callable)}.
 *
 * <p>A process's thread belongs to Loomix: its uncaught-exception handler is how the runtime
 * finds the process from the thread (one field read, where a scoped value cost a quarter of a
 * spawn), so code in a process must not replace it.
 */
public sealed class Process permits Loomix {
    private static final Kernel K = Kernel.get();
    private static final Signals S = K.signals();

    /** Not instantiable; {@link Loomix} extends it only to offer the same methods under another name. */
    Process() {}

    // ---- spawning ----

    /** Starts a process running {@code body}; returns at once. */
    public static Pid spawn(Runnable body) {
        return K.spawn(body, false, false).pid();
    }

    /** Starts a process linked to the caller: if either exits abnormally, the other is told. */
    public static Pid spawnLink(Runnable body) {
        return K.spawn(body, true, false).pid();
    }

    /** Starts a process with {@code options} (Erlang's {@code spawn_opt}), e.g. a mailbox limit. */
    public static Pid spawn(SpawnOptions options, Runnable body) {
        return K.spawn(body, false, false, options).pid();
    }

    /** {@link #spawnLink(Runnable)} with {@code options}. */
    public static Pid spawnLink(SpawnOptions options, Runnable body) {
        return K.spawn(body, true, false, options).pid();
    }

    /** {@link #spawnMonitor(Runnable)} with {@code options}. */
    public static Monitored spawnMonitor(SpawnOptions options, Runnable body) {
        Kernel.Spawned s = K.spawn(body, false, true, options);
        return new Monitored(s.pid(), s.monitor());
    }

    /** A pid and the monitor that watches it, as {@link #spawnMonitor} returns them. */
    public record Monitored(Pid pid, Ref ref) {}

    /** Starts a process monitored by the caller: its exit arrives as a {@link Down} message. */
    public static Monitored spawnMonitor(Runnable body) {
        Kernel.Spawned s = K.spawn(body, false, true);
        return new Monitored(s.pid(), s.monitor());
    }

    /**
     * Runs {@code body} as a process and waits for it on the calling thread: the bridge from
     * {@code main}, tests and other plain threads into the process world. Inside a process it
     * simply calls {@code body}.
     *
     * @throws ProcessFailedException if the process exits abnormally
     */
    public static <T> T run(Callable<T> body) {
        Objects.requireNonNull(body, "run needs a function, got null");
        if (K.selfOrNull() != null) {
            try {
                return body.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ProcessFailedException(ExitReason.of(e));
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Pid pid = spawn(() -> {
            try {
                result.complete(body.call());
            } catch (io.loomix.internal.Hibernation h) {
                IllegalStateException e = new IllegalStateException("hibernate was called in the body of"
                        + " Process.run, which waits for the body's value: spawn the process that hibernates");
                result.completeExceptionally(e);
                throw e;
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                throw e;
            } catch (Exception e) {
                result.completeExceptionally(e);
                throw new ProcessFailedException(ExitReason.of(e));
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            S.exit(pid, ExitReason.KILL);
            throw new ProcessFailedException(ExitReason.KILLED);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new ProcessFailedException(cause instanceof io.loomix.internal.ProcessExit pe
                    ? pe.reason() : ExitReason.of(cause));
        }
    }

    /** {@link #run(Callable)} for a body that returns nothing. */
    public static void run(Runnable body) {
        Objects.requireNonNull(body, "run needs a function, got null");
        run(() -> {
            body.run();
            return null;
        });
    }

    // ---- identity ----

    /**
     * Erlang's {@code erlang:yield/0}: lets other runnable processes run first; a pending exit
     * takes effect here. {@code yield} is a restricted name in Java: call it as {@code Process.yield()}.
     */
    public static void yield() {
        K.yieldNow();
    }

    /** Erlang's {@code node()}: this node's name, {@code nonode@nohost} until distribution starts. */
    public static Atom node() {
        return io.loomix.internal.Nodes.localNode();
    }

    /** The calling process's pid. */
    public static Pid self() {
        return K.self();
    }

    /** A new reference, unique on this node. Inside a process it also marks the mailbox: see {@link #receive(Ref, Clauses)}. */
    public static Ref makeRef() {
        return K.makeRef();
    }

    // ---- messages ----

    /**
     * Puts {@code message} in the mailbox of {@code dest} and returns it. Never blocks and never
     * fails for a pid: a message to a process that has exited is dropped, as in Erlang.
     */
    public static <T> T send(Pid dest, T message) {
        Kernel.notNull(dest, "send: destination pid");
        K.send(dest, message);
        return message;
    }

    /**
     * Sends to the process registered as {@code name} on this node.
     *
     * @throws IllegalArgumentException (Erlang's badarg) when no process is registered as {@code name}
     */
    public static <T> T send(Atom name, T message) {
        K.send(name, message);
        return message;
    }

    /** {@link #send(Atom, Object)} with the name as a string. */
    public static <T> T send(String name, T message) {
        K.send(Atom.of(Kernel.notNull(name, "send: destination name")), message);
        return message;
    }

    /**
     * Sends to {@code {name, node}}. Unlike a bare name, an unknown name is not an error: the
     * message is dropped, as Erlang does.
     */
    public static <T> T send(Name dest, T message) {
        Kernel.notNull(dest, "send: destination");
        K.send(dest, message);
        return message;
    }

    /**
     * Sends to an alias made by {@link #alias()}; once the alias is removed the message is dropped.
     * Replies to calls go to an alias so that a reply arriving after the caller gave up is lost,
     * not left in its mailbox.
     */
    public static <T> T send(Ref alias, T message) {
        K.send(alias, message);
        return message;
    }

    /**
     * Erlang's {@code Port ! {self(), {command, Data}}}: writes {@code data} ({@code byte[]} or
     * text, as UTF-8) to the port's program. A closed port drops it, as a dead process drops a
     * message; {@link Port#command} raises badarg instead.
     *
     * @throws IllegalArgumentException (badarg) when {@code data} is not {@code byte[]} or text
     */
    public static <T> T send(Port port, T data) {
        Objects.requireNonNull(port, "send: destination port must not be null");
        io.loomix.internal.PortDriver.command(port, data, false);
        return data;
    }

    /**
     * Erlang's {@code alias()}: a fresh ref that other processes can send to, reaching the caller
     * until {@link #unalias}. It also marks the mailbox, like {@link #makeRef()}.
     */
    public static Ref alias() {
        return K.alias();
    }

    /**
     * Erlang's {@code alias([reply])} with {@link AliasOption#REPLY}: the alias ends once one
     * message sent through it has been delivered, so a second, late reply is dropped.
     */
    public static Ref alias(AliasOption option) {
        return K.alias(Kernel.notNull(option, "alias: option") == AliasOption.REPLY);
    }

    /** Deactivates an alias of the caller; returns whether it was active. */
    public static boolean unalias(Ref alias) {
        return K.unalias(Kernel.notNull(alias, "unalias: ref"));
    }

    /**
     * Waits for the oldest message that {@code clauses} accepts (returns non-null for), removes it
     * and returns the clause's result. Messages it rejects stay in the mailbox, in order. The
     * clauses run before the message is removed, so they must not receive (or flush) themselves:
     * that throws {@link IllegalStateException}; return a value and receive after this returns.
     */
    public static <R> R receive(Clauses<? extends R> clauses) {
        return K.receive(clauses, -1, () -> null, null);
    }

    /**
     * {@link #receive(Clauses)} with Erlang's {@code after}: if no message matches within
     * {@code timeout}, returns {@code after.get()}. A zero timeout checks the mailbox without waiting.
     */
    public static <R> R receive(Duration timeout, Clauses<? extends R> clauses, Supplier<? extends R> after) {
        return K.receive(clauses, timeoutNanos(timeout), after(after), null);
    }

    /** {@link #receive(Duration, Clauses, Supplier)} with the timeout in milliseconds. */
    public static <R> R receive(long timeoutMillis, Clauses<? extends R> clauses, Supplier<? extends R> after) {
        return receive(Duration.ofMillis(checkMillis(timeoutMillis)), clauses, after);
    }

    /**
     * Receives a reply tagged with {@code ref}, made by {@link #makeRef()} or {@link #monitor} in
     * this process: messages that were already queued when {@code ref} was made are not looked at,
     * since none can hold it (Erlang's receive-marker optimisation). A call from a process with a
     * long mailbox thus costs the same as from an empty one. {@code clauses} must only accept
     * messages that contain {@code ref}.
     */
    public static <R> R receive(Ref ref, Clauses<? extends R> clauses) {
        return K.receive(clauses, -1, () -> null, Kernel.notNull(ref, "receive: ref"));
    }

    /** {@link #receive(Ref, Clauses)} with a timeout. */
    public static <R> R receive(Ref ref, Duration timeout, Clauses<? extends R> clauses, Supplier<? extends R> after) {
        return K.receive(clauses, timeoutNanos(timeout), after(after), Kernel.notNull(ref, "receive: ref"));
    }

    /** Receives the next message, whatever it is. */
    public static Object receive() {
        return K.receive(m -> m, -1, () -> null, null);
    }

    /** Removes and returns every message in the mailbox, oldest first (IEx's {@code flush}). */
    public static List<Object> flush() {
        return K.flush();
    }

    /**
     * Erlang's {@code erlang:hibernate/3}: the calling process waits for its next message without a
     * thread, holding only its mailbox, links, monitors, name, flags and what {@code resume}
     * captures. Its stack is discarded (unwound: {@code finally} blocks run on the way, which
     * Erlang's {@code after} clauses do not); when a message arrives, or at once if one is queued
     * already, a new thread runs {@code resume}, which takes the message with {@link #receive}
     * like any code. When {@code resume} returns the process exits {@code normal}, as when its
     * body returns. An exit signal that reaches it while hibernated ends it as it would a
     * waiting one. Never returns: write {@code throw hibernate(...)} where the compiler needs it.
     *
     * {@snippet :
     * static void loop(int count) {               // counts messages, idles without a thread
     *     if (receive() instanceof Pid from) {
     *         send(from, count);
     *     }
     *     throw hibernate(() -> loop(count + 1));
     * }
     * }
     *
     * <p>Code that catches {@code Throwable} between the call and the body must rethrow it: it is
     * an {@link Error} that carries the hibernation down the stack. Costs a new virtual thread per
     * wake-up (about a spawn), so hibernate processes that idle long, not busy ones.
     *
     * @throws IllegalStateException inside a receive clause
     */
    public static RuntimeException hibernate(Runnable resume) {
        throw K.hibernate(resume);
    }

    /**
     * Suspends the calling process for {@code duration}; signals (exits) still reach it. It takes
     * no message, so unlike {@link #receive} it may be called inside a receive clause.
     */
    public static void sleep(Duration duration) {
        K.receive(Kernel.NO_MESSAGE, timeoutNanos(duration), () -> null, null);
    }

    // ---- timers ----

    /**
     * Sends {@code message} to {@code dest} (a {@link Pid}, a name as an {@link Atom} or a
     * {@code String}, looked up when the timer fires, or a {@link Name}) after {@code delay};
     * returns a reference for {@link #cancelTimer} and {@link #readTimer}. It never fires early.
     *
     * @throws IllegalArgumentException (badarg) for a negative delay, or one longer than
     *                                  {@code SendTimers.MAX_TIMER} (about 292 years, what a long counts in nanoseconds)
     */
    public static Ref sendAfter(Object dest, Object message, Duration delay) {
        return K.sendTimers().sendAfter(dest, message, delay);
    }

    /**
     * Erlang's {@code send_after(Time, Dest, Msg, [{abs, true}])}: sends at {@code when}, read
     * against the wall clock now; a time in the past sends at once.
     */
    public static Ref sendAt(Object dest, Object message, java.time.Instant when) {
        return K.sendTimers().sendAt(dest, message, when);
    }

    /** Cancels a {@link #sendAfter} timer: the milliseconds that were left, or empty if it already fired. */
    public static OptionalLong cancelTimer(Ref timer) {
        return K.sendTimers().cancel(timer);
    }

    /**
     * Erlang's {@code cancel_timer(Ref, [{async, true}])}: cancels without waiting for the answer,
     * which arrives as a {@link TimerCancelled} message.
     */
    public static void cancelTimerAsync(Ref timer) {
        K.sendTimers().cancelAsync(Kernel.notNull(timer, "cancelTimerAsync: ref"));
    }

    /** Erlang's {@code read_timer/1}: the milliseconds left on a {@link #sendAfter} timer, or empty if it fired or was cancelled. */
    public static OptionalLong readTimer(Ref timer) {
        return K.sendTimers().read(timer);
    }

    // ---- names ----

    /**
     * Registers {@code pid} under {@code name} on this node.
     *
     * @throws IllegalArgumentException (badarg) if the name is taken, the pid already has a name,
     *                                  or the process is not alive
     */
    public static void register(Atom name, Pid pid) {
        K.names().register(name, pid);
    }

    public static void register(String name, Pid pid) {
        K.names().register(Atom.of(Kernel.notNull(name, "register: name")), pid);
    }

    /** @throws IllegalArgumentException (badarg) if no process is registered as {@code name} */
    public static void unregister(Atom name) {
        K.names().unregister(name);
    }

    public static void unregister(String name) {
        K.names().unregister(Atom.of(Kernel.notNull(name, "unregister: name")));
    }

    /** The process registered as {@code name}, or empty. */
    public static Optional<Pid> whereis(Atom name) {
        return Optional.ofNullable(K.names().whereis(Kernel.notNull(name, "whereis: name")));
    }

    public static Optional<Pid> whereis(String name) {
        return whereis(Atom.of(Kernel.notNull(name, "whereis: name")));
    }

    /** All names registered on this node. */
    public static List<Atom> registered() {
        return K.names().registered();
    }

    // ---- links, monitors, exits ----

    /**
     * Links the caller and {@code pid}: when one exits abnormally, the other is sent an exit signal.
     *
     * @throws NoProcException if {@code pid} is not alive and the caller does not trap exits (a
     *                         trapping caller gets {@code Exit(pid, noproc)} instead)
     */
    public static void link(Pid pid) {
        S.link(pid);
    }

    /** Links the caller and a port, as {@link #link(Pid)}; a trapping caller sees {@code Exit(port.pid(), reason)}. */
    public static void link(Port port) {
        S.link(Objects.requireNonNull(port, "link: port must not be null").pid());
    }

    /** Removes a link to a port. */
    public static void unlink(Port port) {
        S.unlink(Objects.requireNonNull(port, "unlink: port must not be null").pid());
    }

    /** Erlang's {@code monitor(port, Port)}: when the port closes, {@link Down}{@code (ref, port, reason)} arrives. */
    public static Ref monitor(Port port) {
        Objects.requireNonNull(port, "monitor: port must not be null");
        return S.monitorAs(port.pid(), port);
    }

    /**
     * Removes the link: once this returns, the link has no effect on the caller (Erlang's
     * guarantee, also when {@code pid} is exiting at that moment). An {@link Exit} queued before
     * stays; an exit signal that arrived before kills a caller that does not trap exits, here.
     */
    public static void unlink(Pid pid) {
        S.unlink(pid);
    }

    /**
     * Watches {@code pid}: when it exits, the caller receives {@link Down}{@code (ref, pid, reason)}
     * ({@code noproc} if it is already gone). Monitoring oneself does nothing.
     */
    public static Ref monitor(Pid pid) {
        return S.monitor(pid);
    }

    /** Watches the process registered as {@code name}; Down names the {@link Name}. */
    public static Ref monitor(Name name) {
        return S.monitor(name);
    }

    /**
     * Erlang's {@code erlang:monitor(process, Pid, Options)}: {@link MonitorOption.Alias} makes the
     * ref an alias too, {@link MonitorOption#tag} makes the Down a {@link TaggedDown}.
     */
    public static Ref monitor(Pid pid, MonitorOption... options) {
        return S.monitor(pid, options);
    }

    /** {@link #monitor(Pid, MonitorOption...)} by name. */
    public static Ref monitor(Name name, MonitorOption... options) {
        return S.monitor(name, options);
    }

    public static Ref monitor(String name) {
        return S.monitor(Name.local(Kernel.notNull(name, "monitor: name")));
    }

    /**
     * Removes a monitor, as Erlang's {@code demonitor(Ref, [info])}: {@code true} if it was active,
     * and then no Down for it will ever arrive; {@code false} if there was no such monitor or its
     * Down is already in the mailbox (where it stays; see {@link #demonitor(Ref, boolean)}).
     */
    public static boolean demonitor(Ref ref) {
        return S.demonitor(ref, false);
    }

    /**
     * {@link #demonitor(Ref)}, and with {@code flush} also removes its Down (or {@link TaggedDown})
     * if one is in the mailbox: afterwards no Down for {@code ref} is queued or will arrive.
     */
    public static boolean demonitor(Ref ref, boolean flush) {
        return S.demonitor(ref, flush);
    }

    /**
     * Sets whether the caller traps exits: exit signals then arrive as {@link Exit} messages
     * instead of killing it ({@code kill} still kills). Returns the previous value.
     */
    public static boolean trapExit(boolean on) {
        return K.trapExit(on);
    }

    /**
     * Sets the caller's scheduling priority, Erlang's {@code process_flag(priority, p)}; returns
     * the previous one. See {@link Priority}; {@link SpawnOptions#withPriority} sets it at spawn.
     */
    public static Priority priority(Priority p) {
        return K.priority(p);
    }

    /** Ends the calling process with {@code reason} (any term; see {@link ExitReason#of}). Never returns. */
    public static RuntimeException exit(Object reason) {
        throw K.exitSelf(ExitReason.of(reason));
    }

    /**
     * Sends an exit signal to {@code pid}: {@link ExitReason#KILL} always kills it (reason
     * {@code killed}); {@code normal} is ignored unless it traps exits; any other reason kills it
     * unless it traps exits, in which case it receives {@link Exit}.
     */
    public static void exit(Pid pid, Object reason) {
        S.exit(pid, ExitReason.of(reason));
    }

    /**
     * Sends an exit signal to a port, Erlang's {@code exit(Port, Reason)}: {@code normal} closes it
     * only when sent by its owner; any other reason closes it with that reason, and kill kills it.
     */
    public static void exit(Port port, Object reason) {
        S.exit(Objects.requireNonNull(port, "exit: port must not be null").pid(), ExitReason.of(reason));
    }

    /**
     * The exit reason a throwable stands for, when a process catches it: the reason given to
     * {@link #exit(Object)} (or of the exit signal that is ending the process), or
     * {@code Crash(t)} for any other exception. For behaviours that catch around callbacks.
     */
    public static ExitReason exitReasonOf(Throwable t) {
        Objects.requireNonNull(t, "exitReasonOf: throwable must not be null");
        return t instanceof io.loomix.internal.ProcessExit pe ? pe.reason() : new ExitReason.Crash(t);
    }

    // ---- introspection ----

    /**
     * Whether {@code pid} is a live process on this node. A process that an exit signal is ending
     * (for instance right after {@code exit(pid, KILL)} returns) is not alive, as in Erlang, even if
     * its thread has not yet reached the yield point where it stops.
     *
     * @throws IllegalArgumentException for a pid of another node, as Erlang's badarg (a pid of an
     *         earlier incarnation of this node is not alive)
     */
    public static boolean alive(Pid pid) {
        return K.isAlive(Kernel.notNull(pid, "alive: pid"));
    }

    /**
     * Erlang's {@code process_info/1}: empty when the process is not alive (see {@link #alive}).
     *
     * @throws IllegalArgumentException for a pid of another node, as Erlang's badarg
     */
    public static Optional<ProcessInfo> info(Pid pid) {
        return Optional.ofNullable(K.info(Kernel.notNull(pid, "info: pid")));
    }

    /**
     * Erlang's {@code process_info(Pid, current_stacktrace)}: where the process waits, innermost
     * frame first; an empty list while it is hibernated. Empty when it is not alive, and also while it is not waiting in a receive
     * (running or runnable): the JDK can only read the stack of an unmounted virtual thread by
     * suspending it, which for a runnable one would hand the scheduler its task twice; ask again
     * later for a busy process. Each frame's
     * {@link StackTraceElement#getClassLoaderName()} tells which class loader, and so which loaded
     * version of a module, the code belongs to: what the code server checks before a purge.
     */
    public static Optional<List<StackTraceElement>> stacktrace(Pid pid) {
        return Optional.ofNullable(K.stacktrace(Objects.requireNonNull(pid, "stacktrace: pid must not be null")));
    }

    /** The pids of all live processes on this node. */
    public static List<Pid> list() {
        return K.processes();
    }

    /** How many processes are alive on this node. */
    public static int count() {
        return K.processCount();
    }

    /**
     * Erlang's {@code erlang:system_info(schedulers)}: how many carrier threads run processes
     * ({@code -Dloomix.schedulers}, default the number of cores); 0 when processes run on the JDK's
     * default scheduler instead (a warning at start says why).
     */
    public static int schedulers() {
        return K.schedulers();
    }

    /**
     * A receive timeout in nanoseconds; -1 waits forever. Erlang refuses 2^32 ms and more
     * ({@code timeout_value}: its timer word is 32 bits); a Duration of weeks is ordinary Java,
     * so Loomix accepts any timeout, and one beyond what a long counts in nanoseconds (about 292
     * years) waits forever, which no JVM can tell apart.
     */
    private static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null (use receive(clauses) to wait forever)");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout_value: a receive timeout must be >= 0, was " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException beyondALong) {
            return -1;
        }
    }

    private static <R> Supplier<? extends R> after(Supplier<? extends R> after) {
        return Objects.requireNonNull(after, "receive: the after supplier must not be null: it gives the result"
                + " when the timeout passes, e.g. () -> null, or () -> TIMEOUT");
    }

    private static long checkMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout_value: a receive timeout must be >= 0 ms, was " + millis);
        }
        return millis;
    }
}

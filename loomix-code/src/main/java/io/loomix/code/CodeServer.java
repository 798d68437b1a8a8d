package io.loomix.code;

import io.loomix.Down;
import io.loomix.ExitReason;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.otp.CallFailed;
import io.loomix.otp.GenServer;
import io.loomix.otp.Sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's code server (Erlang's {@code code_server}): compiles modules, loads each version into a
 * class loader of its own, keeps at most two versions of a module (current and old), purges old
 * code, moves GenServers to new code, and ships modules to other nodes ({@link #nl}).
 * {@link Code} offers the node's own server as static functions; tests make more than one to
 * stand for several nodes in one JVM.
 *
 * <p>Loads, purges and deletes are serialised by the server; {@link Mod} calls read the current
 * version without locking. Purging waits for the processes it kills to be gone; each operation
 * runs as (or in) a process, so it may be called from any thread.
 */
public final class CodeServer {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration STACK_WAIT = Duration.ofMillis(200);
    private static final System.Logger LOG = System.getLogger("io.loomix.code");

    private final String id;
    private final ClassLoader parent;
    private final Object lock = new Object();
    private final Versions<Version> table = new Versions<>();          // under lock
    private final Map<String, Integer> lastVsn = new HashMap<>();         // under lock
    private final ConcurrentHashMap<String, Version> current = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> moduleOfClass = new ConcurrentHashMap<>();

    /** A code server whose modules see the classes of {@code parent} (usually the application's loader). */
    public CodeServer(ClassLoader parent) {
        this.id = "code-" + IDS.incrementAndGet();
        this.parent = Objects.requireNonNull(parent, "parent class loader");
    }

    // ---- compiling and loading ----

    /**
     * Compiles {@code path} (a Java file, or every Java file in a directory) in memory and loads
     * each file as a module: Erlang's {@code c(File)}. A module already loaded gets a new version;
     * its old version is purged first, and the GenServers that ran the version just replaced are
     * moved to the new one ({@link #upgradeServers}, with {@code extra} an empty list).
     *
     * @throws CompileException with the compiler's report; then nothing is loaded
     */
    public List<Loaded> c(Path path) {
        List<ModuleBinary> binaries = compile(path);
        List<Loaded> loaded = new ArrayList<>();
        for (ModuleBinary b : binaries) {
            loaded.add(load(b));
        }
        for (ModuleBinary b : binaries) {
            upgradeServers(b.module(), List.of());
        }
        return loaded;
    }

    /** Compiles without loading: the binaries {@link #load} and {@link #nl} take. */
    public List<ModuleBinary> compile(Path path) {
        Objects.requireNonNull(path, "c: path must not be null");
        List<Path> sources;
        if (Files.isDirectory(path)) {
            sources = InMemoryCompiler.javaFilesIn(path);
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("c: no .java files in " + path);
            }
        } else if (Files.isRegularFile(path)) {
            sources = List.of(path);
        } else {
            throw new IllegalArgumentException("c: no such file or directory: " + path.toAbsolutePath());
        }
        List<ModuleBinary> out = new ArrayList<>();
        for (InMemoryCompiler.Unit unit : offCarrier(() -> InMemoryCompiler.compile(sources, this::classFileOfCurrent,
                this::classesInPackage))) {
            if (unit.classes().isEmpty()) {
                continue; // a file that declares no class (package-info, an empty file)
            }
            out.add(new ModuleBinary(moduleName(unit), unit.source().toAbsolutePath().toString(), unit.classes()));
        }
        return out;
    }

    /**
     * Runs {@code work} on a platform thread and waits for it. The compiler is JDK code, without
     * yield points: run on a carrier it would hold it for the whole compile, stalling the
     * processes queued there.
     */
    private static <T> T offCarrier(java.util.function.Supplier<T> work) {
        if (!Thread.currentThread().isVirtual()) {
            return work.get();
        }
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().name("loomix-compiler").daemon().start(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The main class of a file: the class named like the file, else its first top-level class. */
    private static String moduleName(InMemoryCompiler.Unit unit) {
        String file = unit.source().getFileName().toString().replaceFirst("\\.java$", "");
        return unit.classes().keySet().stream()
                .filter(n -> n.equals(file) || n.endsWith("." + file))
                .findFirst()
                .orElseGet(() -> unit.classes().keySet().stream().filter(n -> !n.contains("$")).sorted()
                        .findFirst().orElseThrow());
    }

    /**
     * Loads a module's binary as its new current version; the receiving end of {@link #nl}. If an
     * old version is still there it is purged first: the processes still running it are killed.
     *
     * @throws IllegalArgumentException if the bytecode cannot be defined (nothing is loaded then)
     */
    public Loaded load(ModuleBinary binary) {
        Objects.requireNonNull(binary, "load: binary must not be null");
        return inProcess(() -> {
            synchronized (lock) {
                String name = binary.module();
                int vsn = lastVsn.getOrDefault(name, 0) + 1;
                ModuleLoader loader = new ModuleLoader(name + "#" + vsn + "@" + id, binary, this, parent);
                Version next = new Version(name, vsn, binary, loader);
                try {
                    next.main();
                } catch (LinkageError | IllegalStateException e) {
                    throw new IllegalArgumentException("cannot load " + name + ": " + e, e);
                }
                Versions.LoadStep<Version> step = table.load(name, next);
                if (step instanceof Versions.PurgeFirst<Version>(Version old)) {
                    kill(processesIn(old));
                    table.dropOld(name);
                    step = table.load(name, next);
                }
                lastVsn.put(name, vsn);
                current.put(name, next);
                binary.classes().keySet().forEach(c -> moduleOfClass.put(c, name));
                return next.describe(((Versions.Loaded<Version>) step).replaced() != null);
            }
        });
    }

    /** {@link #load}: what distribution calls on the node an {@code nl} reaches. */
    public Loaded loadBinary(ModuleBinary binary) {
        return load(binary);
    }

    // ---- which, purge, delete ----

    /** The current version of {@code module}, empty if none is loaded (Erlang's {@code non_existing}). */
    public Optional<Loaded> which(String module) {
        synchronized (lock) {
            Version v = table.current(module);
            return v == null ? Optional.empty() : Optional.of(v.describe(table.old(module) != null));
        }
    }

    /** Every module with a current version, by name. */
    public List<Loaded> allLoaded() {
        synchronized (lock) {
            return table.loaded().stream().sorted()
                    .map(m -> table.current(m).describe(table.old(m) != null)).toList();
        }
    }

    /**
     * Erlang's {@code code:purge}: removes the old version of {@code module}, killing the processes
     * that still run it first. Returns whether any process was killed.
     */
    public boolean purge(String module) {
        return inProcess(() -> {
            synchronized (lock) {
                Version old = table.old(module);
                if (old == null) {
                    return false;
                }
                List<Pid> in = processesIn(old);
                kill(in);
                table.dropOld(module);
                return !in.isEmpty();
            }
        });
    }

    /**
     * Erlang's {@code code:soft_purge}: removes the old version only if no process runs it.
     * Returns false (and removes nothing) if some process still does.
     */
    public boolean softPurge(String module) {
        return inProcess(() -> {
            synchronized (lock) {
                Version old = table.old(module);
                if (old == null) {
                    return true;
                }
                if (!processesIn(old).isEmpty()) {
                    return false;
                }
                table.dropOld(module);
                return true;
            }
        });
    }

    /**
     * Erlang's {@code code:delete}: the current version becomes old, so fully qualified calls to
     * the module fail from now on while running processes carry on. False if there is no current
     * version or an old one is still loaded (purge it first).
     */
    public boolean delete(String module) {
        synchronized (lock) {
            Version v = table.current(module);
            if (!table.delete(module)) {
                return false;
            }
            current.remove(module, v);
            return true;
        }
    }

    /**
     * Erlang's {@code erlang:check_process_code(Pid, Module)}: whether {@code pid} runs the old
     * version of {@code module}: a frame of it is on the process's stack, or the process is a
     * GenServer whose callback module is of that version.
     */
    public boolean checkProcessCode(Pid pid, String module) {
        return inProcess(() -> {
            Version old;
            synchronized (lock) {
                old = table.old(module);
            }
            return old != null && runs(pid, old);
        });
    }

    /** The binary of the current version of {@code module} (Erlang's {@code code:get_object_code}). */
    public Optional<ModuleBinary> objectCode(String module) {
        Version v = current.get(module);
        return v == null ? Optional.empty() : Optional.of(v.binary);
    }

    /** The handle through which fully qualified calls reach the current version of {@code module}. */
    public Mod mod(String module) {
        return new Mod(this, Objects.requireNonNull(module, "mod: module name must not be null"));
    }

    /** The main class of the current version of {@code module}. */
    public Optional<Class<?>> currentClass(String module) {
        Version v = current.get(module);
        return v == null ? Optional.empty() : Optional.of(v.main());
    }

    Version currentVersion(String module) {
        return current.get(module);
    }

    // ---- moving GenServers ----

    /**
     * Moves every GenServer whose callback module is an older version of {@code module}'s
     * classes to the current version, keeping its state: suspend, then {@code codeChange(oldVsn,
     * state, extra)} on a new instance of the current version's class (made with its no-argument
     * constructor), then resume. A state that is a record or enum declared in the module is
     * first rebuilt as the new version's class of the same name ({@link Code#convert}: new
     * components start as null, 0 or false), so codeChange sees a state of its own classes. A
     * server whose codeChange throws stays on its old code, with its state as it was.
     */
    public List<Upgrade> upgradeServers(String module, Object extra) {
        Objects.requireNonNull(extra, "upgradeServers: extra must not be null (Erlang passes [] when there is none)");
        return inProcess(() -> {
            long start = System.nanoTime();
            Version now = current.get(module);
            Version old;
            synchronized (lock) {
                old = table.old(module);
            }
            List<Upgrade> out = new ArrayList<>();
            if (now == null || old == null || old == now) {
                return out;
            }
            // Everything that needs no server suspended happens first: finding the servers, making the new
            // callback objects, loading and linking the new version's state classes.
            List<Sys.Change> changes = new ArrayList<>();
            Class<?> newMain = now.main();
            for (Pid pid : Sys.serversRunning(old.loader)) {
                Class<?> callback = pid.equals(Process.self()) ? null : callbackClass(pid);
                if (callback == null || callback.getClassLoader() != old.loader) {
                    continue; // it exited, or moved meanwhile
                }
                try {
                    // The function is a message: it captures only a class, which strict mode accepts.
                    changes.add(new Sys.Change(pid, newInstance(callback, now), old.vsn, extra,
                            state -> rebuild(state, newMain)));
                } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                    out.add(new Upgrade.Stayed(pid, old.vsn, "the new version has no " + callback.getName()
                            + " GenServer with a no-argument constructor to move to (" + e + ")"));
                }
            }
            prepareStates(old, now);
            long found = System.nanoTime();
            for (Sys.Changed c : Sys.changeCode(changes, GenServer.DEFAULT_TIMEOUT)) {
                out.add(switch (c) {
                    case Sys.Changed.Moved m -> new Upgrade.Moved(m.server(), old.vsn, now.vsn);
                    case Sys.Changed.Stayed st -> new Upgrade.Stayed(st.server(), old.vsn, st.why());
                });
            }
            lastUpgrade = new UpgradeTimes(start, found, System.nanoTime());
            return out;
        });
    }

    /** When the last {@link #upgradeServers} began, had its servers found and ready, and ended: for SwapMeasure. */
    record UpgradeTimes(long start, long found, long end) {}

    volatile UpgradeTimes lastUpgrade;

    private static GenServer<?> newInstance(Class<?> callback, Version to) throws ReflectiveOperationException {
        Class<?> c = Class.forName(callback.getName(), true, to.loader);
        var ctor = c.getDeclaredConstructor();
        ctor.setAccessible(true);
        return (GenServer<?>) ctor.newInstance();
    }

    /**
     * Loads and initialises the records and enums of the new version and prepares the conversion
     * of each record of the old version to its namesake ({@link Convert#prepare}), so that
     * rebuilding a state inside a suspended server finds it all done. Their initialisers make enum
     * constants and nothing else a state class should do.
     */
    private static void prepareStates(Version from, Version to) {
        for (String name : to.binary.classes().keySet()) {
            try {
                Class<?> c = Class.forName(name, false, to.loader);
                if (!c.isRecord() && !c.isEnum()) {
                    continue;
                }
                Class.forName(name, true, to.loader);
                if (from.binary.classFile(name) != null) {
                    Convert.prepare(Class.forName(name, true, from.loader), c);
                }
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // Only a warm-up: what cannot be prepared now fails (or not) where it is used, as before.
            }
        }
    }

    /**
     * A state whose class came with another version of the module (a record or enum declared in
     * its file) rebuilt as the same-named class of the version {@code target} belongs to, by
     * {@link Convert}; any other state as it is.
     */
    private static Object rebuild(Object state, Class<?> target) {
        if (state == null || !(state.getClass().getClassLoader() instanceof ModuleLoader from)
                || !(target.getClassLoader() instanceof ModuleLoader to) || from == to
                || !from.module().equals(to.module())) {
            return state;
        }
        try {
            return Convert.to(state, Class.forName(state.getClass().getName(), true, to));
        } catch (ClassNotFoundException | IllegalArgumentException e) {
            return state; // codeChange gets it as it is, and may convert it itself
        }
    }

    // ---- nl ----

    /**
     * Erlang's {@code nl(Module)}: loads the current version of {@code module} on each of
     * {@code peers} (the connected nodes, as distribution lists them). A node that does not run
     * Loomix (a BEAM node) is skipped with a reason; a node that fails to load it is reported.
     *
     * @throws IllegalArgumentException if {@code module} is not loaded here
     */
    public List<NlResult> nl(String module, Collection<? extends Peer> peers) {
        ModuleBinary binary = objectCode(module).orElseThrow(() -> new IllegalArgumentException(
                "nl: " + module + " is not loaded on this node; compile it first with c(\"" + module + ".java\")"));
        List<NlResult> out = new ArrayList<>();
        for (Peer peer : peers) {
            if (!peer.runsLoomix()) {
                out.add(new NlResult.Skipped(peer.node(), "not a Loomix node (a BEAM node cannot load Java bytecode)"));
                continue;
            }
            try {
                out.add(new NlResult.Done(peer.node(), peer.load(binary)));
            } catch (RuntimeException e) {
                out.add(new NlResult.Failed(peer.node(), String.valueOf(e.getMessage())));
            }
        }
        return out;
    }

    // ---- which processes run a version ----

    private List<Pid> processesIn(Version v) {
        List<Pid> in = new ArrayList<>();
        Pid me = Process.self();
        java.util.Set<Pid> servers = new java.util.HashSet<>(Sys.serversRunning(v.loader));
        for (Pid pid : Process.list()) {
            if (!pid.equals(me) && (servers.contains(pid) || runsFrameOf(pid, v))) {
                in.add(pid);
            }
        }
        return in;
    }

    /**
     * The stack of {@code pid} the next time it waits in a receive (a stack can only be read then,
     * see {@link Process#stacktrace}), trying for up to {@link #STACK_WAIT}; empty if it is gone or
     * stayed busy all that time (it is then taken not to run the version checked).
     */
    private static List<StackTraceElement> stackOf(Pid pid) {
        long deadline = System.nanoTime() + STACK_WAIT.toNanos();
        while (true) {
            Optional<List<StackTraceElement>> stack = Process.stacktrace(pid);
            if (stack.isPresent()) {
                return stack.get();
            }
            if (!Process.alive(pid) || System.nanoTime() > deadline) {
                if (Process.alive(pid)) {
                    LOG.log(System.Logger.Level.WARNING, () -> "code server: " + pid + " did not wait in a receive for "
                            + STACK_WAIT.toMillis() + " ms, so its stack was not read");
                }
                return List.of();
            }
            Process.sleep(Duration.ofMillis(1));
        }
    }

    /**
     * Whether {@code pid} runs a version as Erlang's {@code check_process_code} sees it: a GenServer
     * whose callback module is of the version ({@link Sys#serversRunning}), or a process with a
     * frame of the version on its stack. A GenServer is not waited for: when it waits for its next
     * message its stack holds the server loop and whatever its callback waits in, so one look tells
     * all a wait would.
     */
    private boolean runs(Pid pid, Version v) {
        return Sys.serversRunning(v.loader).contains(pid) || runsFrameOf(pid, v);
    }

    private static boolean runsFrameOf(Pid pid, Version v) {
        List<StackTraceElement> stack = startedAsServer(pid) ? Process.stacktrace(pid).orElse(List.of()) : stackOf(pid);
        String loaderName = v.loader.getName();
        for (StackTraceElement frame : stack) {
            if (loaderName.equals(frame.getClassLoaderName())) {
                return true;
            }
        }
        return false;
    }

    /** A GenServer's callback class, or null if it does not answer (it exited, or stayed busy past the call timeout). */
    private static Class<?> callbackClass(Pid pid) {
        try {
            return Sys.module(pid);
        } catch (RuntimeException | Error e) {
            if (Process.exitReasonOf(e) instanceof ExitReason.Term(CallFailed f)) {
                return null;
            }
            throw e;
        }
    }

    /** Whether {@code pid} was started by OTP's ProcLib, as every GenServer is (its initial call). */
    private static boolean startedAsServer(Pid pid) {
        return Process.info(pid).map(i -> i.initialCall().startsWith("io.loomix.otp.ProcLib.")).orElse(false);
    }

    private void kill(List<Pid> pids) {
        List<Ref> refs = new ArrayList<>();
        for (Pid pid : pids) {
            refs.add(Process.monitor(pid));
            Process.exit(pid, ExitReason.KILL);
        }
        for (int i = 0; i < refs.size(); i++) {
            Ref ref = refs.get(i);
            Object down = Process.receive(ref, KILL_WAIT, m -> m instanceof Down d && d.ref().equals(ref) ? d : null,
                    () -> null);
            if (down == null) {
                Pid pid = pids.get(i);
                Process.demonitor(ref, true);
                LOG.log(System.Logger.Level.WARNING, () -> "purge killed " + pid + " but it has not exited after "
                        + KILL_WAIT.toSeconds() + " s (a process outside receive without yield points?)");
            }
        }
    }

    /**
     * Runs {@code body} in a process (the calling one, or a new one from a plain thread) and
     * throws its exception in the caller, without the new process logging it as a crash.
     */
    private static <T> T inProcess(java.util.function.Supplier<T> body) {
        record Outcome<T>(T value, RuntimeException error) {}
        Outcome<T> o = Process.run(() -> {
            try {
                return new Outcome<>(body.get(), null);
            } catch (RuntimeException e) {
                return new Outcome<T>(null, e);
            }
        });
        if (o.error() != null) {
            throw o.error();
        }
        return o.value();
    }

    // ---- for the loaders and the compiler ----

    /** The loader of the current version of the module that has the class {@code className}, or null. */
    ClassLoader loaderOfCurrent(String className) {
        String module = moduleOfClass.get(className);
        Version v = module == null ? null : current.get(module);
        return v == null || v.binary.classFile(className) == null ? null : v.loader;
    }

    private byte[] classFileOfCurrent(String className) {
        String module = moduleOfClass.get(className);
        Version v = module == null ? null : current.get(module);
        return v == null ? null : v.binary.classFile(className);
    }

    private List<String> classesInPackage(String pkg) {
        List<String> names = new ArrayList<>();
        for (Version v : current.values()) {
            for (String c : v.binary.classes().keySet()) {
                int dot = c.lastIndexOf('.');
                if ((dot < 0 ? "" : c.substring(0, dot)).equals(pkg)) {
                    names.add(c);
                }
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    @Override
    public String toString() {
        return "CodeServer[" + id + "]";
    }
}

package io.loomix.code;

import io.loomix.Pid;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Erlang's {@code code} module and the shell's {@code c}/{@code nl}, for this node's code server.
 * A module is a Java class with its nested classes (and any other class its source file
 * declares), loaded into a class loader of its own for each version.
 *
 * {@snippet :
 * Code.c("Spin.java");                  // compile in memory and load: version 1
 * Pid p = Code.mod("Spin").spawn("loop", 0);
 * // ... edit Spin.java ...
 * Code.c("Spin.java");                  // version 2 is current, 1 is old; p moves at its next tail call
 * Code.c("Spin.java");                  // version 3: processes still in version 1 are killed (purge)
 * Code.which("Spin");                   // Optional[Loaded[module=Spin, vsn=3, ...]]
 * }
 *
 * <p><b>Versions.</b> As in Erlang a module has at most two versions, current and old. Loading
 * a new version makes the current one old; if there was already an old one it is purged first,
 * and the processes still running it are killed. A process runs a version while a frame of that
 * version's code is on its stack, or, for a GenServer, while its callback object is of that
 * version.
 *
 * <p><b>Moving to new code.</b> A call through a {@link Mod} handle always runs the current
 * version (Erlang's fully qualified call); a direct Java call stays in the version that made it
 * (a local call). A process spawned with {@link Mod#spawn} moves at each {@link Mod#tail} it
 * returns. A GenServer moves with suspend, {@code codeChange(oldVsn, state, extra)} on an
 * instance of the new version, resume: {@link #c} does that for the GenServers that ran the
 * version it replaced; {@link CodeServer#upgradeServers} does it on demand.
 *
 * <p><b>State across versions.</b> Each version has its own class loader, so a class declared
 * in the module's file is a different class in each version: a state of type {@code Spin.State}
 * made by version 1 is not a {@code Spin.State} of version 2. A GenServer's state passes
 * unchanged to the new code's {@code codeChange}, which must convert it: keep state in types
 * that do not reload (JDK types such as {@code Integer}, {@code Map}, {@code List}, records of
 * the application's own jars), or rebuild the new record from the old one with {@link #convert}.
 */
public final class Code {
    private static final CodeServer LOCAL = new CodeServer(defaultParent());

    private Code() {}

    private static ClassLoader defaultParent() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ClassLoader.getSystemClassLoader();
    }

    /** This node's code server. */
    public static CodeServer server() {
        return LOCAL;
    }

    /** Compiles and loads {@code file} (or each Java file of a directory); see {@link CodeServer#c}. */
    public static List<Loaded> c(String file) {
        return LOCAL.c(Path.of(file));
    }

    /** {@link #c(String)} for a path. */
    public static List<Loaded> c(Path file) {
        return LOCAL.c(file);
    }

    /** Compiles without loading. */
    public static List<ModuleBinary> compile(Path file) {
        return LOCAL.compile(file);
    }

    /** Loads a compiled module (the receiving end of {@code nl}); see {@link CodeServer#load}. */
    public static Loaded load(ModuleBinary binary) {
        return LOCAL.load(binary);
    }

    /** The handle for fully qualified calls to {@code module}'s current version. */
    public static Mod mod(String module) {
        return LOCAL.mod(module);
    }

    /**
     * The handle for the module {@code type} belongs to, on the code server that loaded it (this
     * node's when {@code type} was not loaded by a code server): {@code Code.mod(Spin.class)}
     * inside Spin names Spin's current version, whichever version makes the call.
     */
    public static Mod mod(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        CodeServer server = top.getClassLoader() instanceof ModuleLoader l ? l.server() : LOCAL;
        return server.mod(top.getName());
    }

    /** The current version of {@code module}, or empty (Erlang's {@code non_existing}). */
    public static Optional<Loaded> which(String module) {
        return LOCAL.which(module);
    }

    /** Every loaded module's current version. */
    public static List<Loaded> allLoaded() {
        return LOCAL.allLoaded();
    }

    /** Removes the old version, killing the processes in it; true if any was killed. */
    public static boolean purge(String module) {
        return LOCAL.purge(module);
    }

    /** Removes the old version unless a process runs it; false (nothing removed) if one does. */
    public static boolean softPurge(String module) {
        return LOCAL.softPurge(module);
    }

    /** Makes the current version old (Erlang's {@code code:delete}). */
    public static boolean delete(String module) {
        return LOCAL.delete(module);
    }

    /** Whether {@code pid} runs the old version of {@code module}. */
    public static boolean checkProcessCode(Pid pid, String module) {
        return LOCAL.checkProcessCode(pid, module);
    }

    /** Moves GenServers on older versions of {@code module} to the current one; see {@link CodeServer#upgradeServers}. */
    public static List<Upgrade> upgradeServers(String module, Object extra) {
        return LOCAL.upgradeServers(module, extra);
    }

    /**
     * Loads {@code module}'s current version on each of {@code peers} (Erlang's {@code nl}); the
     * connected nodes come from distribution. See {@link CodeServer#nl}.
     */
    public static List<NlResult> nl(String module, Collection<? extends Peer> peers) {
        return LOCAL.nl(module, peers);
    }

    /**
     * Rebuilds a value made by another version of a module as a value of {@code type}: a record
     * becomes the {@code type} record whose components of the same names take the old values
     * (converted in turn when the new component is itself a record or an enum); a component the
     * old record lacks takes null, 0 or false; an enum constant becomes the constant of the same
     * name. Anything else is returned as it is. For {@code codeChange}:
     *
     * {@snippet :
     * protected State codeChange(Object oldVsn, State old, Object extra) {
     *     return Code.convert(old, State.class);   // old was made by the previous version
     * }
     * }
     *
     * @throws IllegalArgumentException if a component cannot take the old value, naming it
     */
    public static <T> T convert(Object old, Class<T> type) {
        return Convert.to(old, type);
    }
}

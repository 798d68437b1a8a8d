package io.loomix.code;

import io.loomix.agent.LoomixAgent;

/**
 * The class loader of one version of one module. Its name ({@code Spin#2@code-1}) is what stack
 * frames report as their class loader, so the code server can tell which version a process runs.
 *
 * <p>It defines the module's own classes itself, even when a class of the same name is on the
 * class path (child first for those names only); a class of another loaded module resolves to that
 * module's current version at the moment this version first uses it (Java links once: later
 * versions of the other module are reached through {@link Mod}); everything else goes to the
 * parent. It inserts the yield points into the classes it defines itself ({@link LoomixAgent#rewrite},
 * the agent's rules), so they get them with no agent too ({@code YieldPointClassLoader}); under
 * the agent they are marked as rewritten, and the agent leaves them alone.
 */
final class ModuleLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final ModuleBinary binary;
    private final CodeServer server;

    ModuleLoader(String name, ModuleBinary binary, CodeServer server, ClassLoader parent) {
        super(name, parent);
        this.binary = binary;
        this.server = server;
    }

    CodeServer server() {
        return server;
    }

    String module() {
        return binary.module();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = binary.classFile(name);
                if (bytes != null) {
                    c = define(name, bytes);
                } else {
                    ClassLoader other = server.loaderOfCurrent(name);
                    c = other != null && other != this ? other.loadClass(name) : getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = binary.classFile(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return define(name, bytes);
    }

    private Class<?> define(String name, byte[] bytes) {
        byte[] rewritten = LoomixAgent.rewrite(name.replace('.', '/'), bytes, this);
        byte[] out = rewritten != null ? rewritten : bytes;
        return defineClass(name, out, 0, out.length);
    }
}

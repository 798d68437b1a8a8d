package io.loomix.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.SecureClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The system class loader that inserts yield points with no Java agent: start the JVM with
 * {@code -Djava.system.class.loader=io.loomix.agent.YieldPointClassLoader} and the usual
 * {@code -cp} (loomix-core and loomix-agent on it). Any Java agent makes the JVM report every
 * virtual-thread mount and unmount to JVMTI, which costs message passing about a third of its
 * speed; this loader does the agent's work with no JVMTI environment at all.
 *
 * <p>It defines every class of the class path itself, child first, with the agent's yield points
 * ({@link LoomixAgent#rewrite}: the agent's exclusions, {@code -Dloomix.agent.exclude} and
 * {@code -Dloomix.agent.verbose} apply), except the runtime: {@code io.loomix} (top level),
 * {@code io.loomix.internal*} and this agent go to the parent, the JVM's class-path loader, so
 * there is exactly one copy of them; so do the packages of the JDK's modules. The class path is
 * read through the parent's resources, so {@code java.class.path} stays whole (javac in the code
 * server compiles against it).
 *
 * <p>Because it is the system class loader, the main class, {@link ClassLoader#getSystemClassLoader},
 * the main thread's context class loader (which threads and processes inherit),
 * {@link java.util.ServiceLoader} and {@code Class.forName} from any application class all find the
 * application's classes here. The one way to a second copy of an application class is a lookup by
 * name with the parent as the loader, i.e. {@code Class.forName(name)} called from the runtime's own
 * classes: the runtime looks up only JDK classes by name.
 *
 * <p>Not for the module path: {@code -m module/Main} loads the boot layer's modules with the JDK's
 * own loader whatever the system class loader is. Other Java agents (a profiler's, say) still work:
 * the JVM appends their jars here, and their classes are defined here like the class path's. But
 * any agent brings the JVMTI reports back, which is what this loader exists to avoid.
 */
public final class YieldPointClassLoader extends SecureClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** The packages of the boot layer's modules (the JDK's on the class path): the parent's. */
    private final Set<String> bootPackages = new HashSet<>();

    /** Jars the JVM appended for {@code -javaagent} options, searched after the class path. */
    private volatile URLClassLoader appended;

    /** Called by the JVM, with its class-path loader as {@code parent}. */
    public YieldPointClassLoader(ClassLoader parent) {
        super("loomix", parent);
        // No lambdas here: this runs while the JVM is still setting up its system class loader.
        for (Module m : ModuleLayer.boot().modules()) {
            bootPackages.addAll(m.getPackages());
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = defineFromClassPath(name);
            }
            if (c == null) {
                c = getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /**
     * Called by the JVM for each {@code -javaagent} jar before the agent starts: a custom system
     * class loader without this method makes the JVM stop at start-up.
     */
    @SuppressWarnings("unused")
    synchronized void appendToClassPathForInstrumentation(String path) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        if (appended != null) {
            urls.addAll(List.of(appended.getURLs()));
        }
        urls.add(Path.of(path).toUri().toURL());
        appended = new URLClassLoader(urls.toArray(new URL[0]), null);
    }

    @Override
    protected URL findResource(String name) {
        URLClassLoader jars = appended;
        return jars == null ? null : jars.findResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        URLClassLoader jars = appended;
        return jars == null ? Collections.emptyEnumeration() : jars.findResources(name);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = defineFromClassPath(name);
        if (c == null) {
            throw new ClassNotFoundException(name);
        }
        return c;
    }

    /** The class defined here, or null when it is the parent's (the runtime, the JDK, or not found). */
    private Class<?> defineFromClassPath(String name) throws ClassNotFoundException {
        String internalName = name.replace('.', '/');
        int dot = name.lastIndexOf('.');
        String pkg = dot < 0 ? "" : name.substring(0, dot);
        if (LoomixAgent.runtime(internalName) || bootPackages.contains(pkg)) {
            return null;
        }
        URL url = getParent().getResource(internalName + ".class");
        if (url == null) {
            url = findResource(internalName + ".class");
        }
        if (url == null) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read " + url, e);
        }
        byte[] rewritten = LoomixAgent.rewrite(internalName, bytes, this);
        if (rewritten != null) {
            bytes = rewritten;
        }
        URL base = base(url, internalName + ".class");
        if (!pkg.isEmpty() && getDefinedPackage(pkg) == null) {
            definePackage(pkg, url);
        }
        return defineClass(name, bytes, 0, bytes.length, new CodeSource(base, (CodeSigner[]) null));
    }

    /** The class-path entry a class file came from: the jar's or the directory's URL. */
    private static URL base(URL url, String path) {
        String s = url.toString();
        try {
            if (s.startsWith("jar:")) {
                return URI.create(s.substring("jar:".length(), s.indexOf("!/"))).toURL();
            }
            return s.endsWith(path) ? URI.create(s.substring(0, s.length() - path.length())).toURL() : url;
        } catch (MalformedURLException | IllegalArgumentException e) {
            return url;
        }
    }

    /** The package with its jar manifest's titles and versions, as the JDK's loader defines it. */
    private void definePackage(String pkg, URL classUrl) {
        Manifest manifest = null;
        if (classUrl.getProtocol().equals("jar")) {
            try {
                URLConnection connection = classUrl.openConnection();
                if (connection instanceof JarURLConnection jar) {
                    manifest = jar.getManifest();
                }
            } catch (IOException e) {
                manifest = null; // the package then has no titles or versions, nothing worse
            }
        }
        Attributes a = manifest == null ? new Attributes() : manifest.getMainAttributes();
        try {
            definePackage(pkg, a.getValue(Attributes.Name.SPECIFICATION_TITLE),
                    a.getValue(Attributes.Name.SPECIFICATION_VERSION), a.getValue(Attributes.Name.SPECIFICATION_VENDOR),
                    a.getValue(Attributes.Name.IMPLEMENTATION_TITLE), a.getValue(Attributes.Name.IMPLEMENTATION_VERSION),
                    a.getValue(Attributes.Name.IMPLEMENTATION_VENDOR), null);
        } catch (IllegalArgumentException e) {
            // Another thread defined it first (the class-loading lock is per class, not per package).
        }
    }
}

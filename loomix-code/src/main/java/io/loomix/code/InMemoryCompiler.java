package io.loomix.code;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * javax.tools in memory: Java source files in, class files out, grouped by the source file that
 * declared them. Compiles against the class path of this JVM ({@code java.class.path}) and the
 * current versions of the modules already loaded, so one module may use another.
 */
final class InMemoryCompiler {
    private InMemoryCompiler() {}

    /** What one source file compiled to. */
    record Unit(Path source, Map<String, byte[]> classes) {}

    /**
     * @param loadedClass the class file of a class of a loaded module by binary name, or null
     * @param loadedInPackage binary names of the loaded modules' classes in a package
     * @throws CompileException with the compiler's own report if anything failed to compile
     */
    static List<Unit> compile(List<Path> sources, Function<String, byte[]> loadedClass,
                              Function<String, List<String>> loadedInPackage) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime (the jdk.compiler module is missing);"
                    + " run Loomix on a full JDK 25, not a JRE");
        }
        StringWriter report = new StringWriter();
        Map<URI, Map<String, byte[]>> outputs = new LinkedHashMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(null, null, null);
             Memory memory = new Memory(standard, outputs, loadedClass, loadedInPackage)) {
            Iterable<? extends JavaFileObject> units = standard.getJavaFileObjectsFromPaths(sources);
            List<String> options = List.of("-classpath", System.getProperty("java.class.path", ""),
                    "-proc:none", "-Xlint:-options", "-g", "-parameters");
            boolean ok = javac.getTask(report, memory, null, options, null, units).call();
            if (!ok) {
                throw new CompileException(report.toString().strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Unit> result = new ArrayList<>();
        for (Path source : sources) {
            Map<String, byte[]> classes = outputs.get(source.toUri());
            result.add(new Unit(source, classes == null ? Map.of() : classes));
        }
        return result;
    }

    /** Class files go to memory; loaded modules' classes are visible on the class path. */
    private static final class Memory extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<URI, Map<String, byte[]>> outputs;
        private final Function<String, byte[]> loadedClass;
        private final Function<String, List<String>> loadedInPackage;

        Memory(StandardJavaFileManager standard, Map<URI, Map<String, byte[]>> outputs,
               Function<String, byte[]> loadedClass, Function<String, List<String>> loadedInPackage) {
            super(standard);
            this.outputs = outputs;
            this.loadedClass = loadedClass;
            this.loadedInPackage = loadedInPackage;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            URI from = sibling == null ? URI.create("memory:///unknown") : sibling.toUri();
            return new SimpleJavaFileObject(URI.create("memory:///" + className.replace('.', '/') + ".class"), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override
                        public void close() {
                            synchronized (outputs) {
                                outputs.computeIfAbsent(from, u -> new LinkedHashMap<>()).put(className, toByteArray());
                            }
                        }
                    };
                }
            };
        }

        @Override
        public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
                                             boolean recurse) throws IOException {
            Iterable<JavaFileObject> standard = super.list(location, packageName, kinds, recurse);
            if (location != StandardLocation.CLASS_PATH || !kinds.contains(JavaFileObject.Kind.CLASS)) {
                return standard;
            }
            List<String> names = loadedInPackage.apply(packageName);
            if (names.isEmpty()) {
                return standard;
            }
            List<JavaFileObject> all = new ArrayList<>();
            standard.forEach(all::add);
            for (String name : names) {
                all.add(new LoadedClass(name, loadedClass.apply(name)));
            }
            return all;
        }

        @Override
        public String inferBinaryName(Location location, JavaFileObject file) {
            return file instanceof LoadedClass c ? c.binaryName : super.inferBinaryName(location, file);
        }

        @Override
        public boolean isSameFile(FileObject a, FileObject b) {
            return a instanceof LoadedClass || b instanceof LoadedClass ? a.equals(b) : super.isSameFile(a, b);
        }
    }

    /** A class of a loaded module, offered to the compiler from memory. */
    private static final class LoadedClass extends SimpleJavaFileObject {
        final String binaryName;
        private final byte[] bytes;

        LoadedClass(String binaryName, byte[] bytes) {
            super(URI.create("loaded:///" + binaryName.replace('.', '/') + ".class"), Kind.CLASS);
            this.binaryName = binaryName;
            this.bytes = bytes;
        }

        @Override
        public InputStream openInputStream() {
            return new java.io.ByteArrayInputStream(bytes);
        }
    }

    /** The Java files in {@code dir} (not its subdirectories), sorted by name. */
    static List<Path> javaFilesIn(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".java") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}

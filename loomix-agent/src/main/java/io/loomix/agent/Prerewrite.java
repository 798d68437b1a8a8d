package io.loomix.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build's step that inserts the yield points into a module's classes once, after javac:
 * {@code java -cp <the module's compile class path> io.loomix.agent.Prerewrite target/classes}
 * (the root pom's {@code yield-points} execution). Each class gets what {@link LoomixAgent#rewrite}
 * would give it at load time, with {@link YieldPoints#MARK}, so the agent and
 * {@link YieldPointClassLoader} then define it as it is ({@link Marks}: a look at the bytes, not the
 * class-file API). What that saves is start-up work: rewriting Loomix's own classes at every start
 * ran the class-file API enough for C2 to spend about a second per JVM compiling it, ahead of the
 * runtime's hot paths. The runtime's packages, the rest of {@link LoomixAgent#excluded} and the
 * package prefixes given after the directory (classes that run in a JVM without Loomix, such as
 * the bench's Pekko peer) stay as they are; classes already marked are skipped, so the step can
 * run again on the same directory.
 */
public final class Prerewrite {
    private Prerewrite() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java -cp <class path> io.loomix.agent.Prerewrite <classes directory>"
                    + " [package prefix to leave alone]...");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        String[] leftAlone = LoomixAgent.prefixes(String.join(",", List.of(args).subList(1, args.length)));
        if (!Files.isDirectory(root)) {
            return; // a module with no main classes
        }
        List<Path> classes;
        try (Stream<Path> files = Files.walk(root)) {
            classes = files.filter(p -> p.toString().endsWith(".class")
                    && !p.getFileName().toString().equals("module-info.class")).toList();
        }
        for (Path file : classes) {
            String internalName = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            internalName = internalName.substring(0, internalName.length() - ".class".length());
            byte[] bytes = Files.readAllBytes(file);
            // Not LoomixAgent.rewrite: a class that cannot be rewritten must fail the build, not run without.
            if (LoomixAgent.excluded(internalName, leftAlone) || Marks.marked(bytes)) {
                continue;
            }
            byte[] out = YieldPoints.instrument(bytes, ClassLoader.getSystemClassLoader());
            if (out != null) {
                Files.write(file, out); // silent: it runs in every build, ./loomix's first one too
            }
        }
    }
}

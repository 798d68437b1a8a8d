package io.loomix.internal;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** What a test needs to start a JVM of its own on the class path, whether the test runs on the class path or the module path. */
final class ForkedJvm {
    private ForkedJvm() {}

    /** The test JVM's class path, module path and test classes, joined as one class path. */
    static String classPath() {
        Set<String> parts = new LinkedHashSet<>();
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                parts.addAll(java.util.List.of(value.split(File.pathSeparator)));
            }
        }
        try {
            // On the module path the test classes are patched into the module, on no path of their own.
            parts.add(Path.of(ForkedJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return String.join(File.pathSeparator, parts);
    }
}

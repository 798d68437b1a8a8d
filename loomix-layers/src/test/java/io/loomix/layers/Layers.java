package io.loomix.layers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layer rules of {@code layers.txt}, checked over class files: which module uses which, and
 * who may use the runtime's package {@code io.loomix.internal}. Pure: it reads bytes and returns
 * violations, so a test can run it on a planted set of classes as well as on the real build.
 */
final class Layers {
    static final String INTERNAL = "io.loomix.internal";
    static final String API = "io.loomix";

    /** One line of the table: a module's directory, its layer, and whether it may use the runtime. */
    record Module(String dir, int layer, boolean internal) {}

    /** The whole table. */
    record Rules(List<Module> modules, Set<String> apiEntries, Set<String> allowed) {
        Module module(String dir) {
            return modules.stream().filter(m -> m.dir().equals(dir)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no line for module " + dir + " in layers.txt"));
        }
    }

    /** A class of a module and the classes (of any package) it names. */
    record ClassRefs(String module, String name, Set<String> uses) {
        String pkg() {
            return packageOf(name);
        }
    }

    /** A broken rule, said so that whoever broke it knows what to change. */
    record Violation(String from, String to, String why) {
        @Override
        public String toString() {
            return from + " -> " + to + ": " + why;
        }
    }

    private Layers() {}

    static Rules parse(List<String> lines) {
        var modules = new ArrayList<Module>();
        var entries = new HashSet<String>();
        var allowed = new HashSet<String>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "module" -> modules.add(new Module(f[1], Integer.parseInt(f[2]), f.length > 3 && f[3].equals("internal")));
                case "api-entry" -> entries.add(f[1]);
                case "allow" -> allowed.add(f[1] + " " + f[2]);
                default -> throw new IllegalArgumentException("layers.txt: unknown line '" + line + "'");
            }
        }
        return new Rules(List.copyOf(modules), Set.copyOf(entries), Set.copyOf(allowed));
    }

    /** Every rule broken by {@code classes}; empty when the layering holds. */
    static List<Violation> check(Rules rules, List<ClassRefs> classes) {
        var violations = new ArrayList<Violation>();
        Map<String, String> owner = new HashMap<>();
        for (ClassRefs c : classes) {
            String previous = owner.putIfAbsent(c.pkg(), c.module());
            if (previous != null && !previous.equals(c.module())) {
                violations.add(new Violation(c.module(), previous, "package " + c.pkg()
                        + " is in two modules (a split package cannot be on the module path)"));
            }
        }
        for (ClassRefs c : classes) {
            Module from = rules.module(c.module());
            for (String used : new TreeSet<>(c.uses())) {
                String toModule = owner.get(packageOf(used));
                if (toModule == null || toModule.equals(c.module())) {
                    if (isInternal(packageOf(used)) && c.pkg().equals(API) && !mayReachRuntime(rules, c.name(), used)) {
                        violations.add(new Violation(c.name(), used, "the API reaches the runtime only through "
                                + rules.apiEntries() + "; move this into the runtime or go through an entry"));
                    }
                    continue;
                }
                Module to = rules.module(toModule);
                if (to.layer() >= from.layer()) {
                    violations.add(new Violation(c.name(), used, c.module() + " (layer " + from.layer() + ") uses "
                            + toModule + " (layer " + to.layer() + "): a module may use lower layers only"));
                } else if (isInternal(packageOf(used)) && !from.internal()) {
                    violations.add(new Violation(c.name(), used, c.module()
                            + " uses the runtime's internals; use the API (io.loomix), or mark the module `internal` in layers.txt"
                            + " and export the entry point to it in loomix-core's module-info"));
                }
            }
        }
        return violations;
    }

    /**
     * The module descriptors' side of the rules: no module exports a runtime package to everyone,
     * and core exports one only to modules whose line says {@code internal}.
     *
     * @param descriptors each module's descriptor, by directory (modules without one are absent)
     */
    static List<Violation> checkExports(Rules rules, Map<String, ModuleDescriptor> descriptors) {
        var violations = new ArrayList<Violation>();
        Map<String, String> dirOf = new HashMap<>();
        descriptors.forEach((dir, d) -> dirOf.put(d.name(), dir));
        descriptors.forEach((dir, d) -> {
            for (ModuleDescriptor.Exports e : d.exports()) {
                if (!isInternal(e.source()) && !e.source().contains(".internal")) continue;
                if (!e.isQualified()) {
                    violations.add(new Violation(d.name(), e.source(), "exports a runtime package to everyone;"
                            + " export it only to the modules that need it (exports ... to ...)"));
                    continue;
                }
                for (String target : e.targets()) {
                    String targetDir = dirOf.get(target);
                    if (targetDir == null || !rules.module(targetDir).internal()) {
                        violations.add(new Violation(d.name(), target, "exports " + e.source() + " to " + target
                                + ", whose line in layers.txt does not say `internal`"));
                    }
                }
            }
        });
        return violations;
    }

    private static boolean mayReachRuntime(Rules rules, String name, String used) {
        String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
        return rules.apiEntries().contains(outer) || rules.allowed().contains(outer + " " + used);
    }

    // Descriptors and signatures name classes as Lpkg/Name; (fields, method types, generics).
    private static final Pattern IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

    /** A class file's name and every class it names, in its constant pool or in descriptors. */
    static ClassRefs read(String module, byte[] bytes) {
        ClassModel model = ClassFile.of().parse(bytes);
        var uses = new HashSet<String>();
        for (PoolEntry e : model.constantPool()) {
            if (e instanceof ClassEntry c) {
                addDescriptor(uses, c.asInternalName().startsWith("[") ? c.asInternalName() : "L" + c.asInternalName() + ";");
            } else if (e instanceof Utf8Entry u && u.stringValue().indexOf(';') >= 0) {
                addDescriptor(uses, u.stringValue());
            }
        }
        String name = model.thisClass().asInternalName().replace('/', '.');
        uses.remove(name);
        return new ClassRefs(module, name, Set.copyOf(uses));
    }

    private static void addDescriptor(Set<String> uses, String descriptor) {
        Matcher m = IN_DESCRIPTOR.matcher(descriptor);
        while (m.find()) {
            uses.add(m.group(1).replace('/', '.'));
        }
    }

    /** The classes of a module's output directory (module-info.class aside). */
    static List<ClassRefs> readDirectory(String module, Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class"))
                    .map(p -> {
                        try {
                            return read(module, Files.readAllBytes(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runtime's packages: io.loomix.internal and any package under it. */
    static boolean isInternal(String pkg) {
        return pkg.equals(INTERNAL) || pkg.startsWith(INTERNAL + ".");
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}

package io.loomix.layers;

import org.junit.jupiter.api.Test;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The checker fails on planted violations: classes made here with the class-file API, each naming
 * one other class the way real code would (a field, a call, a parameter).
 */
class PlantedViolationTest {
    private static final Layers.Rules RULES = Layers.parse(List.of(
            "module loomix-core 0", "module loomix-otp 1", "module loomix-dist 2 internal",
            "api-entry io.loomix.Process", "allow io.loomix.Pid io.loomix.internal.Nodes"));

    /** A class {@code name} in {@code module} whose one method calls a static method of {@code target}. */
    private static Layers.ClassRefs calling(String module, String name, String target) {
        byte[] bytes = ClassFile.of().build(ClassDesc.of(name), cls -> cls.withMethodBody("m",
                MethodTypeDesc.of(ConstantDescs.CD_void), ClassFile.ACC_STATIC, code -> code
                        .invokestatic(ClassDesc.of(target), "x", MethodTypeDesc.of(ConstantDescs.CD_void))
                        .return_()));
        return Layers.read(module, bytes);
    }

    /** A class whose only mention of {@code type} is a field's type (a descriptor, not a class entry). */
    private static Layers.ClassRefs withField(String module, String name, String type) {
        byte[] bytes = ClassFile.of().build(ClassDesc.of(name),
                cls -> cls.withField("f", ClassDesc.of(type), ClassFile.ACC_PRIVATE));
        return Layers.read(module, bytes);
    }

    /** The runtime, the API and a behaviour, as they should be. */
    private static List<Layers.ClassRefs> clean() {
        return List.of(
                calling("loomix-core", "io.loomix.internal.Kernel", "java.lang.Thread"),
                calling("loomix-core", "io.loomix.internal.Nodes", "java.lang.Object"),
                calling("loomix-core", "io.loomix.Process", "io.loomix.internal.Kernel"),
                calling("loomix-core", "io.loomix.Process$Monitored", "io.loomix.internal.Kernel"),
                calling("loomix-core", "io.loomix.Pid", "io.loomix.internal.Nodes"),
                calling("loomix-otp", "io.loomix.otp.GenServer", "io.loomix.Process"),
                calling("loomix-dist", "io.loomix.dist.Node", "io.loomix.internal.Kernel"));
    }

    private static List<Layers.Violation> checkWith(Layers.ClassRefs planted) {
        var classes = new java.util.ArrayList<>(clean());
        classes.add(planted);
        return Layers.check(RULES, classes);
    }

    @Test
    void theCleanSetPasses() {
        assertEquals(List.of(), Layers.check(RULES, clean()));
    }

    @Test
    void aBehaviourThatUsesTheRuntimeFails() {
        var v = checkWith(calling("loomix-otp", "io.loomix.otp.Sneaky", "io.loomix.internal.Kernel"));
        assertEquals(1, v.size(), v.toString());
        assertEquals("io.loomix.otp.Sneaky", v.getFirst().from());
        assertTrue(v.getFirst().why().contains("runtime's internals"), v.toString());
    }

    @Test
    void anApiTypeThatUsesTheRuntimeFails() {
        var v = checkWith(withField("loomix-core", "io.loomix.Atom", "io.loomix.internal.Kernel"));
        assertEquals(1, v.size(), v.toString());
        assertEquals("io.loomix.internal.Kernel", v.getFirst().to());
        assertTrue(v.getFirst().why().contains("the API reaches the runtime only through"), v.toString());
    }

    @Test
    void theKnownExceptionCoversOnlyWhatItNames() {
        var v = checkWith(calling("loomix-core", "io.loomix.Ref", "io.loomix.internal.Nodes"));
        assertEquals(1, v.size(), "Ref is not in this table's allow lines: " + v);
    }

    @Test
    void anUpwardDependencyFails() {
        var v = checkWith(calling("loomix-core", "io.loomix.internal.Scheduler", "io.loomix.otp.GenServer"));
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.getFirst().why().contains("a module may use lower layers only"), v.toString());
    }

    @Test
    void aSidewaysDependencyFails() {
        var classes = new java.util.ArrayList<>(clean());
        classes.add(calling("loomix-dist", "io.loomix.dist.Other", "java.lang.Object"));
        classes.add(calling("loomix-otp", "io.loomix.otp.Peer", "io.loomix.dist.Other"));
        var v = Layers.check(RULES, classes);
        assertEquals(1, v.size(), v.toString());
    }

    @Test
    void aSplitPackageFails() {
        var v = checkWith(calling("loomix-otp", "io.loomix.Extra", "java.lang.Object"));
        assertTrue(v.stream().anyMatch(x -> x.why().contains("split package")), v.toString());
    }

    @Test
    void exportingTheRuntimeIsCheckedAgainstTheTable() {
        var dist = ModuleDescriptor.newModule("io.loomix.dist").build();
        var otp = ModuleDescriptor.newModule("io.loomix.otp").build();
        var toDist = ModuleDescriptor.newModule("io.loomix.core").exports("io.loomix")
                .exports(Set.of(), "io.loomix.internal", Set.of("io.loomix.dist")).build();
        assertEquals(List.of(), Layers.checkExports(RULES, Map.of("loomix-core", toDist, "loomix-dist", dist, "loomix-otp", otp)));

        var toOtp = ModuleDescriptor.newModule("io.loomix.core")
                .exports(Set.of(), "io.loomix.internal", Set.of("io.loomix.otp")).build();
        var v = Layers.checkExports(RULES, Map.of("loomix-core", toOtp, "loomix-otp", otp));
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.getFirst().why().contains("does not say `internal`"), v.toString());

        var toAll = ModuleDescriptor.newModule("io.loomix.core").exports("io.loomix.internal").build();
        v = Layers.checkExports(RULES, Map.of("loomix-core", toAll));
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.getFirst().why().contains("to everyone"), v.toString());
    }

    @Test
    void descriptorsCountAsUses() {
        var refs = withField("loomix-otp", "io.loomix.otp.Holder", "io.loomix.internal.Kernel");
        assertTrue(refs.uses().contains("io.loomix.internal.Kernel"), refs.uses().toString());
    }
}

package io.loomix.agent;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites one class so that every method calls {@code io.loomix.YieldPoint.poll()} on entry and
 * before every backward branch (a loop's back edge): a CPU-bound loop or recursion then passes a
 * yield point at least once per iteration or call. The call takes and leaves nothing on the
 * operand stack, so the method's stack shapes are unchanged; the stack maps are regenerated
 * because the offsets move.
 *
 * <p>Left alone: class initialisers (a process yielding inside {@code <clinit>} would hold the
 * class's initialisation lock across the yield) and backward targets of {@code switch}
 * instructions (compilers do not emit loops that way).
 */
public final class YieldPoints {
    static final ClassDesc HOOK = ClassDesc.of("io.loomix.YieldPoint");
    static final String HOOK_METHOD = "poll";
    private static final MethodTypeDesc VOID = MethodTypeDesc.of(ConstantDescs.CD_void);

    private YieldPoints() {}

    /**
     * The class with yield points inserted, or null when it has no code to instrument.
     *
     * @param loader resolves the class hierarchy for the new stack maps (null: the system loader)
     */
    public static byte[] instrument(byte[] classFile, ClassLoader loader) {
        ClassLoader resolveWith = loader != null ? loader : ClassLoader.getSystemClassLoader();
        // Resource parsing only: the default resolver loads classes, and loading a class from
        // inside a transformer can define the very class being transformed a second time.
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.ofResourceParsing(resolveWith).cached()));
        ClassModel model = cf.parse(classFile);
        if (model.thisClass().asSymbol().equals(HOOK) || !hasCode(model)) {
            return null;
        }
        ClassTransform transform = ClassTransform.transformingMethodBodies(
                YieldPoints::wanted, new Inserter());
        return cf.transformClass(model, transform);
    }

    private static boolean hasCode(ClassModel model) {
        for (MethodModel m : model.methods()) {
            if (wanted(m) && m.code().isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static boolean wanted(MethodModel method) {
        return !method.methodName().equalsString(ConstantDescs.CLASS_INIT_NAME);
    }

    /** Stateful per method body: remembers the labels already passed, to tell back edges. */
    private static final class Inserter implements CodeTransform {
        private final Set<Label> seen = new HashSet<>();

        @Override
        public void atStart(CodeBuilder builder) {
            builder.invokestatic(HOOK, HOOK_METHOD, VOID);
        }

        @Override
        public void accept(CodeBuilder builder, CodeElement element) {
            if (element instanceof LabelTarget target) {
                seen.add(target.label());
            } else if (element instanceof BranchInstruction branch && seen.contains(branch.target())) {
                builder.invokestatic(HOOK, HOOK_METHOD, VOID);
            }
            builder.with(element);
        }
    }
}

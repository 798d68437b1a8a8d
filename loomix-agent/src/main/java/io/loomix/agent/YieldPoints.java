package io.loomix.agent;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.AttributeMapper;
import java.lang.classfile.AttributedElement;
import java.lang.classfile.BufWriter;
import java.lang.classfile.ClassReader;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CustomAttribute;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.DiscontinuedInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.classfile.instruction.OperatorInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites one class so that its methods call {@code io.loomix.YieldPoint.poll()} on entry and
 * before every backward branch (a loop's back edge): a CPU-bound loop or recursion then passes a
 * yield point at least once per iteration or call. Methods that call nothing get none at their
 * entry: they cannot recurse, and their loops have their own. The call takes and leaves nothing on the
 * operand stack, so the method's stack shapes are unchanged; the stack maps are regenerated
 * because the offsets move.
 *
 * <p><b>Counted loops are strip-mined</b>, as C2 strip-mines its own safepoint polls. Any branch
 * in a loop's body, even a never-taken one, stops the JIT from unrolling and vectorising it (an
 * {@code int[]} sum runs 9 to 14 times slower with a check per iteration). So an innermost loop of
 * javac's {@code for (int i = a; i < limit; i += c)} shape, where {@code limit} is a local or a
 * local array's length that the body does not change, {@code c > 0}, and the body calls nothing
 * and holds no other loop, is split: an inner loop runs up to a strip of iterations with no yield
 * point in it, and the yield point sits in an outer loop around it:
 * {@snippet lang=java :
 * while (i < limit) {                          // outer: the loop's test and a yield point, once per strip
 *     YieldPoint.poll();
 *     int bound = i + (int) Math.min((long) limit - i, STRIP);   // no branch, no overflow
 *     while (i < bound) { body; i += c; }        // inner: what the JIT unrolls and vectorises
 * }
 * }
 * The strip is at most 16,384 iterations, fewer for long bodies, so a strip costs well under a
 * millisecond. Other loops ({@code long} counters, loops with calls, {@code while} loops) keep a
 * yield point per iteration.
 *
 * <p>A rewritten class carries an empty class attribute, {@value #MARK}, and a class that has it is
 * not rewritten again: the code server's loader and {@link YieldPointClassLoader} rewrite the
 * classes they define themselves, and the agent, when it is there too, then leaves them alone.
 * (Not a look for calls to the hook: code may call {@code YieldPoint.poll()} by hand.)
 *
 * <p>Left alone: class initialisers (a process yielding inside {@code <clinit>} would hold the
 * class's initialisation lock across the yield) and backward targets of {@code switch}
 * instructions (compilers do not emit loops that way).
 */
public final class YieldPoints {
    static final ClassDesc HOOK = ClassDesc.of("io.loomix.YieldPoint");
    static final String HOOK_METHOD = "poll";
    private static final MethodTypeDesc VOID = MethodTypeDesc.of(ConstantDescs.CD_void);
    /** The most iterations of a strip-mined loop between two yield points. */
    static final int MAX_STRIP = 1 << 14;
    /** A strip's budget in body instructions: long bodies get shorter strips. */
    private static final int STRIP_INSTRUCTIONS = 1 << 18;
    /** The name of the attribute that marks a class as rewritten. */
    public static final String MARK = "io.loomix.YieldPoints";

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
        if (model.thisClass().asSymbol().equals(HOOK) || !hasCode(model) || rewritten(model)) {
            return null;
        }
        MethodTransform perMethod = (builder, element) -> {
            if (element instanceof CodeModel code) {
                List<CodeElement> elements = code.elementList();
                builder.transformCode(code, new Inserter(calls(elements), CountedLoop.find(elements)));
            } else {
                builder.with(element);
            }
        };
        return cf.transformClass(model, ClassTransform.transformingMethods(YieldPoints::wanted, perMethod)
                .andThen(ClassTransform.endHandler(builder -> builder.with(new Mark()))));
    }

    /** Whether the class already has yield points of ours (see {@link #MARK}). */
    public static boolean rewritten(byte[] classFile) {
        return rewritten(ClassFile.of().parse(classFile));
    }

    private static boolean rewritten(ClassModel model) {
        for (var attribute : model.attributes()) {
            if (attribute.attributeName().equalsString(MARK)) {
                return true;
            }
        }
        return false;
    }

    /** The empty {@value #MARK} attribute. */
    private static final class Mark extends CustomAttribute<Mark> {
        private static final AttributeMapper<Mark> MAPPER = new AttributeMapper<>() {
            @Override
            public String name() {
                return MARK;
            }

            @Override
            public Mark readAttribute(AttributedElement enclosing, ClassReader reader, int at) {
                return new Mark();
            }

            @Override
            public void writeAttribute(BufWriter out, Mark mark) {
                out.writeIndex(out.constantPool().utf8Entry(MARK));
                out.writeInt(0);
            }

            @Override
            public AttributeStability stability() {
                return AttributeStability.STATELESS;
            }
        };

        Mark() {
            super(MAPPER);
        }
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

    /**
     * Whether the method calls anything. One that does not cannot recurse, so it needs no yield
     * point at its entry: it ends after a bounded number of instructions, or loops, and its loops
     * have yield points of their own. (Getters and other small leaves are most calls made.)
     */
    static boolean calls(List<CodeElement> code) {
        for (CodeElement e : code) {
            if (e instanceof InvokeInstruction || e instanceof InvokeDynamicInstruction) {
                return true;
            }
        }
        return false;
    }

    /**
     * An innermost loop of the shape {@code H: iload i; <limit>; if_icmpge EXIT; body; iinc i c;
     * goto H}, with {@code <limit>} either {@code iload L} or {@code aload A; arraylength}.
     * Indices are positions in the method's element list.
     *
     * @param wide whether the counter and limit are {@code long} ({@code lload; lload; lcmp; ifge},
     *     closed by {@code lload i; <c>; ladd; lstore i})
     * @param limitSlot L or A
     * @param arrayLimit whether the limit is A's length
     * @param limitFrom the index of the limit's first instruction
     * @param branch the index of the {@code if_icmpge}
     * @param backEdge the index of the {@code goto H}
     */
    record CountedLoop(boolean wide, int counter, int limitSlot, boolean arrayLimit, Label exit, int limitFrom,
                       int branch, int backEdge, int strip) {
        /** The method's strip-minable loops, by head label. */
        static Map<Label, CountedLoop> find(List<CodeElement> code) {
            Map<Label, Integer> targeted = new HashMap<>();
            Map<Label, Integer> bound = new HashMap<>();
            for (int k = 0; k < code.size(); k++) {
                for (Label l : targets(code.get(k))) {
                    targeted.merge(l, 1, Integer::sum);
                }
                if (code.get(k) instanceof LabelTarget t) {
                    bound.put(t.label(), k);
                }
            }
            Map<Label, CountedLoop> loops = new HashMap<>();
            for (int h = 0; h < code.size(); h++) {
                if (code.get(h) instanceof LabelTarget head && targeted.getOrDefault(head.label(), 0) == 1) {
                    CountedLoop loop = at(code, h, head.label(), bound);
                    if (loop != null) {
                        loops.put(head.label(), loop);
                    }
                }
            }
            return loops;
        }

        private static List<Label> targets(CodeElement e) {
            List<Label> out = new ArrayList<>();
            switch (e) {
                case BranchInstruction b -> out.add(b.target());
                case TableSwitchInstruction t -> {
                    out.add(t.defaultTarget());
                    t.cases().forEach(c -> out.add(c.target()));
                }
                case LookupSwitchInstruction l -> {
                    out.add(l.defaultTarget());
                    l.cases().stream().map(SwitchCase::target).forEach(out::add);
                }
                case ExceptionCatch c -> out.add(c.handler());
                default -> { }
            }
            return out;
        }

        /** The next instruction or label from {@code k} on, skipping line numbers and the like. */
        private static int next(List<CodeElement> code, int k) {
            while (k < code.size() && !(code.get(k) instanceof Instruction) && !(code.get(k) instanceof LabelTarget)) {
                k++;
            }
            return k;
        }

        private static CountedLoop at(List<CodeElement> code, int h, Label head, Map<Label, Integer> bound) {
            int k = next(code, h + 1);
            if (k >= code.size() || !(code.get(k) instanceof LoadInstruction load)
                    || load.typeKind() != TypeKind.INT && load.typeKind() != TypeKind.LONG) {
                return null;
            }
            boolean wide = load.typeKind() == TypeKind.LONG;
            int counter = load.slot();
            k = next(code, k + 1);
            int limitFrom = k;
            final int limitSlot;
            final boolean arrayLimit;
            if (k < code.size() && code.get(k) instanceof LoadInstruction limit && limit.typeKind() == load.typeKind()
                    && limit.slot() != counter) {
                limitSlot = limit.slot();
                arrayLimit = false;
            } else if (!wide && k < code.size() && code.get(k) instanceof LoadInstruction array
                    && array.typeKind() == TypeKind.REFERENCE) {
                limitSlot = array.slot();
                arrayLimit = true;
                k = next(code, k + 1);
                if (k >= code.size() || !(code.get(k) instanceof OperatorInstruction op) || op.opcode() != Opcode.ARRAYLENGTH) {
                    return null;
                }
            } else {
                return null;
            }
            if (wide) {
                k = next(code, k + 1);
                if (k >= code.size() || !(code.get(k) instanceof OperatorInstruction op) || op.opcode() != Opcode.LCMP) {
                    return null;
                }
            }
            int branch = next(code, k + 1);
            if (branch >= code.size() || !(code.get(branch) instanceof BranchInstruction test)
                    || test.opcode() != (wide ? Opcode.IFGE : Opcode.IF_ICMPGE)) {
                return null;
            }
            int size = wide ? 2 : 1;
            // The body, up to the one back edge: only forward branches, no calls, no writes to
            // the counter (but the increment just before the back edge) or to the limit.
            int instructions = 0;
            List<Integer> body = new ArrayList<>();
            for (int b = branch + 1; b < code.size(); b++) {
                CodeElement e = code.get(b);
                if (e instanceof BranchInstruction g && g.target() == head) {
                    if (g.opcode() != Opcode.GOTO && g.opcode() != Opcode.GOTO_W) {
                        return null;
                    }
                    int increment = wide ? longIncrement(code, body, counter) : intIncrement(code, body, counter);
                    if (increment < 0 || writesOutside(code, body, increment, counter, size)) {
                        return null;
                    }
                    int strip = Math.min(MAX_STRIP, Integer.highestOneBit(Math.max(64, STRIP_INSTRUCTIONS / Math.max(1, instructions))));
                    return new CountedLoop(wide, counter, limitSlot, arrayLimit, test.target(), limitFrom, branch, b, strip);
                }
                for (Label t : targets(e)) {
                    Integer at = bound.get(t);
                    if (at != null && at <= b) {
                        return null; // an inner loop, or a jump back into the header
                    }
                }
                switch (e) {
                    case InvokeInstruction i -> { return null; }
                    case InvokeDynamicInstruction i -> { return null; }
                    case MonitorInstruction m -> { return null; }
                    case DiscontinuedInstruction d -> { return null; }
                    case StoreInstruction st when overlaps(st.slot(), st.typeKind().slotSize(), limitSlot, arrayLimit ? 1 : size) -> {
                        return null;
                    }
                    case IncrementInstruction inc when overlaps(inc.slot(), 1, limitSlot, arrayLimit ? 1 : size) -> {
                        return null;
                    }
                    default -> { }
                }
                if (e instanceof Instruction) {
                    instructions++;
                    body.add(b);
                }
            }
            return null;
        }

        private static boolean overlaps(int slot, int size, int other, int otherSize) {
            return slot < other + otherSize && other < slot + size;
        }

        /** The index of the body's closing {@code iinc counter, c} with c > 0, or -1. */
        private static int intIncrement(List<CodeElement> code, List<Integer> body, int counter) {
            if (body.isEmpty()) {
                return -1;
            }
            int last = body.getLast();
            return code.get(last) instanceof IncrementInstruction inc && inc.slot() == counter && inc.constant() > 0
                    ? last : -1;
        }

        /** The index of the body's closing {@code lload counter; <c>; ladd; lstore counter} with c > 0, or -1. */
        private static int longIncrement(List<CodeElement> code, List<Integer> body, int counter) {
            int n = body.size();
            if (n < 4) {
                return -1;
            }
            int first = body.get(n - 4);
            boolean matches = code.get(first) instanceof LoadInstruction ld && ld.slot() == counter
                    && ld.typeKind() == TypeKind.LONG
                    && code.get(body.get(n - 3)) instanceof ConstantInstruction c
                    && c.constantValue() instanceof Long step && step > 0
                    && code.get(body.get(n - 2)) instanceof OperatorInstruction add && add.opcode() == Opcode.LADD
                    && code.get(body.get(n - 1)) instanceof StoreInstruction st && st.slot() == counter
                    && st.typeKind() == TypeKind.LONG;
            return matches ? first : -1;
        }

        /** Whether the body writes the counter anywhere but in its closing increment (from {@code increment} on). */
        private static boolean writesOutside(List<CodeElement> code, List<Integer> body, int increment, int counter,
                                             int size) {
            for (int b : body) {
                if (b >= increment) {
                    break;
                }
                if (code.get(b) instanceof StoreInstruction st && overlaps(st.slot(), st.typeKind().slotSize(), counter, size)
                        || code.get(b) instanceof IncrementInstruction inc && overlaps(inc.slot(), 1, counter, size)) {
                    return true;
                }
            }
            return false;
        }

        void loadLimit(CodeBuilder builder) {
            if (arrayLimit) {
                builder.aload(limitSlot).arraylength();
            } else if (wide) {
                builder.lload(limitSlot);
            } else {
                builder.iload(limitSlot);
            }
        }

        /** The loop's exit test on the stack's counter: jumps to {@code to} when it reached the limit. */
        void exitTest(CodeBuilder builder, Label to) {
            loadLimit(builder);
            if (wide) {
                builder.lcmp().ifge(to);
            } else {
                builder.if_icmpge(to);
            }
        }

        /**
         * Stores into {@code boundSlot} where this strip ends: the counter plus the strip or the
         * distance to the limit, whichever is smaller, with no branch (a branch taken only at a
         * loop's last strip would be compiled as a trap, and cost a deoptimisation per loop).
         * Runs only while the counter is below the limit, so the distance is positive; for a
         * {@code long} counter it can pass {@code Long.MAX_VALUE}, so the minimum is unsigned.
         */
        void stripBound(CodeBuilder builder, int boundSlot) {
            MethodTypeDesc minOfLongs = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long, ConstantDescs.CD_long);
            ClassDesc math = ClassDesc.of("java.lang.Math");
            if (wide) {
                builder.lload(limitSlot).lload(counter).lsub().loadConstant(Long.MIN_VALUE).lxor()
                        .loadConstant(strip ^ Long.MIN_VALUE).invokestatic(math, "min", minOfLongs)
                        .loadConstant(Long.MIN_VALUE).lxor().lload(counter).ladd().lstore(boundSlot);
            } else {
                loadLimit(builder);
                builder.i2l().iload(counter).i2l().lsub().loadConstant((long) strip)
                        .invokestatic(math, "min", minOfLongs).l2i().iload(counter).iadd().istore(boundSlot);
            }
        }
    }

    /** Per method body: tells back edges by the labels already passed, and rewrites counted loops. */
    private static final class Inserter implements CodeTransform {
        private final Map<Label, CountedLoop> counted;
        private final Set<Label> seen = new HashSet<>();
        /** The position of the element being transformed in the method's element list. */
        private int index = -1;
        /** The counted loop being rewritten, its outer head, and the local holding its strip's bound. */
        private CountedLoop loop;
        private Label outer;
        private int boundSlot;

        /** Whether the method gets a yield point at its entry (see {@link #calls}). */
        private final boolean atEntry;

        Inserter(boolean atEntry, Map<Label, CountedLoop> counted) {
            this.atEntry = atEntry;
            this.counted = counted;
        }

        @Override
        public void atStart(CodeBuilder builder) {
            if (atEntry) {
                builder.invokestatic(HOOK, HOOK_METHOD, VOID);
            }
        }

        @Override
        public void accept(CodeBuilder builder, CodeElement element) {
            index++;
            if (element instanceof LabelTarget target) {
                seen.add(target.label());
                CountedLoop c = counted.get(target.label());
                if (c != null) {
                    beginStrip(builder, c);
                }
                builder.with(element);
                return;
            }
            if (loop != null) {
                if (index >= loop.limitFrom && index < loop.branch && element instanceof Instruction) {
                    return; // the limit's load(s): the inner loop tests the strip's bound instead
                }
                if (index == loop.branch) {
                    // The end of the strip: back to the outer loop's test and yield point.
                    if (loop.wide()) {
                        builder.lload(boundSlot).lcmp().ifge(outer);
                    } else {
                        builder.iload(boundSlot).if_icmpge(outer);
                    }
                    return;
                }
                if (index == loop.backEdge) {
                    builder.with(element); // the inner back edge, with no yield point
                    loop = null;
                    return;
                }
            }
            if (element instanceof BranchInstruction branch && seen.contains(branch.target())) {
                builder.invokestatic(HOOK, HOOK_METHOD, VOID);
            }
            builder.with(element);
        }

        /** The outer loop's head: the loop's own exit test, the yield point, the strip's bound. */
        private void beginStrip(CodeBuilder builder, CountedLoop c) {
            loop = c;
            outer = builder.newLabel();
            boundSlot = builder.allocateLocal(c.wide() ? TypeKind.LONG : TypeKind.INT);
            builder.labelBinding(outer);
            if (c.wide()) {
                builder.lload(c.counter());
            } else {
                builder.iload(c.counter());
            }
            c.exitTest(builder, c.exit());
            builder.invokestatic(HOOK, HOOK_METHOD, VOID);
            c.stripBound(builder, boundSlot);
        }
    }
}

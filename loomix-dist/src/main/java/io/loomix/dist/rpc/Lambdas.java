package io.loomix.dist.rpc;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Tuple;
import io.loomix.dist.term.Terms;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * A serializable lambda as a term, as an Erlang fun travels as its module, function index and
 * free variables: the {@link SerializedLambda}'s class and method names and its captured values
 * (each a term), never Java serialization. The receiving node rebuilds it with the capturing
 * class's own {@code $deserializeLambda$}, so the class must exist there too (as a fun's module
 * must), and the package must be open to {@code io.loomix.dist} (a class-path package is).
 */
public final class Lambdas {
    private static final Atom TAG = Atom.of("loomix_lambda");

    private Lambdas() {}

    /**
     * The term for {@code fn}, a lambda of a serializable functional interface.
     *
     * @throws IllegalArgumentException when fn is not such a lambda or captures a value that is not a term
     */
    public static Tuple toTerm(Object fn) {
        SerializedLambda sl;
        try {
            Method w = fn.getClass().getDeclaredMethod("writeReplace");
            w.setAccessible(true);
            sl = (SerializedLambda) w.invoke(fn);
        } catch (NoSuchMethodException | ClassCastException e) {
            throw new IllegalArgumentException(fn.getClass().getName() + " is not a serializable lambda: write it as a"
                    + " lambda (or method reference) where a RemoteRunnable is expected", e);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the lambda " + fn.getClass().getName() + ": " + e
                    + " (its package must be open to io.loomix.dist)", e);
        }
        List<Object> captured = new ArrayList<>(sl.getCapturedArgCount());
        for (int i = 0; i < sl.getCapturedArgCount(); i++) {
            Object v = sl.getCapturedArg(i);
            try {
                Terms.encode(v);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("the lambda in " + sl.getImplClass().replace('/', '.')
                        + " captures a " + (v == null ? "null" : v.getClass().getName())
                        + ", which cannot travel as a term: capture only terms (numbers, strings, atoms, pids, tuples, lists, ...)", e);
            }
            captured.add(v);
        }
        return Tuple.of(TAG, s(sl.getCapturingClass()), s(sl.getFunctionalInterfaceClass()),
                s(sl.getFunctionalInterfaceMethodName()), s(sl.getFunctionalInterfaceMethodSignature()),
                (long) sl.getImplMethodKind(), s(sl.getImplClass()), s(sl.getImplMethodName()),
                s(sl.getImplMethodSignature()), s(sl.getInstantiatedMethodType()), List.copyOf(captured));
    }

    /** The lambda a {@link #toTerm} term stands for, ready to run. */
    static Runnable fromTerm(Object term) throws Throwable {
        if (!(term instanceof Tuple t) || t.size() != 11 || t.get(0) != TAG || !(t.get(10) instanceof List<?> captured)) {
            throw new IllegalArgumentException("not a lambda term: " + term);
        }
        String capturingName = str(t.get(1)).replace('/', '.');
        Class<?> capturing = Apply.findClass(capturingName);
        if (capturing == null) {
            throw new ClassNotFoundException(capturingName + " (the lambda's class must exist on this node too)");
        }
        int kind = ((Number) t.get(5)).intValue();
        MethodType impl = MethodType.fromMethodDescriptorString(str(t.get(8)), capturing.getClassLoader());
        Object[] args = new Object[captured.size()];
        int receiver = kind == MethodHandleInfo.REF_invokeStatic || kind == MethodHandleInfo.REF_newInvokeSpecial ? 0 : 1;
        for (int i = 0; i < args.length; i++) {
            Object v = captured.get(i);
            if (i < receiver) {
                args[i] = v;
                continue;
            }
            Class<?> type = impl.parameterType(i - receiver);
            Class<?> boxed = MethodType.methodType(type).wrap().returnType();
            args[i] = boxed.isInstance(v) ? v : Terms.as(v, type, type).orElseThrow(() -> new IllegalArgumentException(
                    "captured value " + v + " does not fit " + type.getName()));
        }
        var sl = new SerializedLambda(capturing, str(t.get(2)), str(t.get(3)), str(t.get(4)), kind, str(t.get(6)),
                str(t.get(7)), str(t.get(8)), str(t.get(9)), args);
        Method d = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
        d.setAccessible(true);
        try {
            return (Runnable) d.invoke(null, sl);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Binary s(String v) {
        return Binary.utf8(v);
    }

    private static String str(Object o) {
        return o instanceof Binary b ? b.toUtf8String() : String.valueOf(o);
    }
}

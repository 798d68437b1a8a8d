package io.loomix.code;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Code#convert}: records and enums rebuilt by name across class loaders. */
final class Convert {
    private Convert() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> T to(Object old, Class<T> type) {
        if (old == null || type.isInstance(old)) {
            return (T) old;
        }
        if (type.isEnum() && old instanceof Enum<?> e) {
            try {
                return (T) Enum.valueOf((Class) type, e.name());
            } catch (IllegalArgumentException missing) {
                throw new IllegalArgumentException("convert: " + type.getName() + " has no constant " + e.name(), missing);
            }
        }
        if (type.isRecord() && old.getClass().isRecord()) {
            return record(old, type);
        }
        throw new IllegalArgumentException("convert: cannot make a " + type.getName() + " of a " + old.getClass().getName()
                + " (only records and enums are rebuilt by name)");
    }

    /**
     * How to rebuild a record of one class as one of another: its getters and the target's
     * canonical constructor as method handles of one shape each, found once per pair of classes.
     * A hot swap makes them before suspending a server ({@link #prepare}), so the conversion inside
     * the suspended server only calls them: looking them up, and the JDK's first reflective call of
     * a new method, cost some hundred microseconds per class.
     */
    private record Plan(String[] names, MethodHandle[] getters, String[] targetNames, Class<?>[] targetTypes,
                        MethodHandle constructor) {}

    private static final ClassValue<ConcurrentHashMap<Class<?>, Plan>> PLANS = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<Class<?>, Plan> computeValue(Class<?> from) {
            return new ConcurrentHashMap<>();
        }
    };

    /** Makes the plan for records of {@code from} rebuilt as {@code to} now, if both are records. */
    static void prepare(Class<?> from, Class<?> to) {
        if (from.isRecord() && to.isRecord()) {
            plan(from, to);
        }
    }

    private static Plan plan(Class<?> from, Class<?> to) {
        return PLANS.get(from).computeIfAbsent(to, t -> {
            try {
                RecordComponent[] own = from.getRecordComponents();
                String[] names = new String[own.length];
                MethodHandle[] getters = new MethodHandle[own.length];
                for (int i = 0; i < own.length; i++) {
                    Method accessor = own[i].getAccessor();
                    accessor.setAccessible(true);
                    names[i] = own[i].getName();
                    getters[i] = LOOKUP.unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
                }
                RecordComponent[] target = t.getRecordComponents();
                String[] targetNames = new String[target.length];
                Class<?>[] targetTypes = new Class<?>[target.length];
                for (int i = 0; i < target.length; i++) {
                    targetNames[i] = target[i].getName();
                    targetTypes[i] = target[i].getType();
                }
                Constructor<?> ctor = t.getDeclaredConstructor(targetTypes);
                ctor.setAccessible(true);
                MethodHandle constructor = LOOKUP.unreflectConstructor(ctor).asSpreader(Object[].class, target.length)
                        .asType(MethodType.methodType(Object.class, Object[].class));
                return new Plan(names, getters, targetNames, targetTypes, constructor);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("convert: cannot build " + t.getName() + " from a " + from.getName()
                        + ": " + e, e);
            }
        });
    }

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    @SuppressWarnings("unchecked")
    private static <T> T record(Object old, Class<T> type) {
        Plan plan = plan(old.getClass(), type);
        Object[] args = new Object[plan.targetNames().length];
        try {
            for (int i = 0; i < args.length; i++) {
                Class<?> t = plan.targetTypes()[i];
                int from = indexOf(plan.names(), plan.targetNames()[i]);
                if (from < 0) {
                    args[i] = defaultOf(t);
                    continue;
                }
                Object v = (Object) plan.getters()[from].invokeExact(old);
                try {
                    args[i] = t.isPrimitive() ? v : to(v, t);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("convert: component " + plan.targetNames()[i] + " of "
                            + type.getName() + ": " + e.getMessage(), e);
                }
            }
            return (T) (Object) plan.constructor().invokeExact(args);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalArgumentException("convert: cannot build " + type.getName() + " from " + old + ": " + e, e);
        }
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Object defaultOf(Class<?> t) {
        if (!t.isPrimitive()) {
            return null;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t == char.class) {
            return '\0';
        }
        return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(t, 1), 0);
    }
}

package io.loomix.code;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

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

    private static <T> T record(Object old, Class<T> type) {
        Map<String, Object> values = new HashMap<>();
        try {
            for (RecordComponent c : old.getClass().getRecordComponents()) {
                var accessor = c.getAccessor();
                accessor.setAccessible(true);
                values.put(c.getName(), accessor.invoke(old));
            }
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                if (!values.containsKey(c.getName())) {
                    args[i] = defaultOf(c.getType());
                    continue;
                }
                Object v = values.get(c.getName());
                try {
                    args[i] = c.getType().isPrimitive() ? v : to(v, c.getType());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("convert: component " + c.getName() + " of " + type.getName()
                            + ": " + e.getMessage(), e);
                }
            }
            Constructor<T> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("convert: cannot build " + type.getName() + " from " + old + ": " + e, e);
        }
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

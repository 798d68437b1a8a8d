package io.loomix.internal;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.PortId;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Strict mode's message check: a message must be an immutable value, so that sender and receiver
 * share nothing that either can change. Accepted: null-free trees of strings, boxed numbers and
 * characters, booleans, enums, atoms, pids, refs, port ids, binaries, tuples (element by element),
 * {@code java.time} values, UUIDs, records and other classes whose fields are all final, and the
 * JDK's unmodifiable collections ({@code List.of}, {@code List.copyOf}, {@code Stream.toList},
 * {@code Map.of}, ...), all checked element by element. Rejected, with the path to the offending value: arrays, mutable collections,
 * unmodifiable <em>views</em> ({@code Collections.unmodifiableList}: the list behind can change),
 * and classes with a non-final field.
 */
final class Immutability {
    private Immutability() {}

    /** The verdict for a class, computed once. */
    private sealed interface Kind {}

    private record Leaf() implements Kind {}

    private record Container() implements Kind {}

    private record Fields(List<Field> fields) implements Kind {}

    private record Mutable(String why) implements Kind {}

    private static final Leaf LEAF = new Leaf();
    private static final Container CONTAINER = new Container();

    private static final ClassValue<Kind> KINDS = new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
            return classify(type);
        }
    };

    /** A value still to look at, and how the walk reached it (for the path in an error). */
    private record Step(Object value, Step parent, String label) {
        String path() {
            StringBuilder out = new StringBuilder();
            java.util.ArrayDeque<String> labels = new java.util.ArrayDeque<>();
            for (Step s = this; s != null; s = s.parent) {
                labels.push(s.label);
            }
            labels.forEach(out::append);
            return out.toString();
        }
    }

    /**
     * Walks the message iteratively, so any depth a real value can reach is checked without
     * exhausting the stack, and each object once, so a cycle (possible through final fields set
     * from a constructor that leaks {@code this}) ends the walk instead of hanging it.
     */
    static void check(Object message) {
        if (KINDS.get(message.getClass()) instanceof Leaf) {
            return;
        }
        java.util.ArrayDeque<Step> todo = new java.util.ArrayDeque<>();
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        todo.push(new Step(message, null, message.getClass().getName()));
        while (!todo.isEmpty()) {
            Step step = todo.pop();
            Object value = step.value();
            if (value == null || !seen.add(value)) {
                continue;
            }
            switch (KINDS.get(value.getClass())) {
                case Leaf l -> {}
                case Mutable m -> throw new IllegalArgumentException("message is not immutable: " + step.path()
                        + " is a " + value.getClass().getName() + ", " + m.why()
                        + ". Loomix processes share nothing, so messages must be immutable values (records,"
                        + " strings, numbers, List.of/Map.of, ...). This check runs in strict mode"
                        + " (-Dloomix.strict=true).");
                case Container c -> {
                    int i = 0;
                    switch (value) {
                        case Map<?, ?> map -> {
                            for (Map.Entry<?, ?> e : map.entrySet()) {
                                todo.push(new Step(e.getKey(), step, "{key " + i + "}"));
                                todo.push(new Step(e.getValue(), step, "{" + e.getKey() + "}"));
                                i++;
                            }
                        }
                        case Collection<?> coll -> {
                            for (Object o : coll) {
                                todo.push(new Step(o, step, "[" + i++ + "]"));
                            }
                        }
                        case Optional<?> opt -> todo.push(new Step(opt.orElse(null), step, ".get()"));
                        case Tuple t -> {
                            for (; i < t.size(); i++) {
                                todo.push(new Step(t.get(i), step, "{" + i + "}"));
                            }
                        }
                        default -> throw new AssertionError(value.getClass());
                    }
                }
                case Fields f -> {
                    for (Field field : f.fields()) {
                        try {
                            todo.push(new Step(field.get(value), step, "." + field.getName()));
                        } catch (IllegalAccessException e) {
                            // cannot look inside; its final fields are the best we know
                        }
                    }
                }
            }
        }
    }

    private static Kind classify(Class<?> type) {
        if (type.isArray()) {
            return new Mutable("an array, which can be changed in place (use List.of(...) or a record)");
        }
        if (type.isPrimitive() || type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum())
                || type == String.class || type == Boolean.class || type == Character.class
                || Number.class.isAssignableFrom(type) && type.getPackageName().equals("java.lang")
                || type == BigInteger.class || type == BigDecimal.class || type == UUID.class
                || type == java.util.OptionalLong.class || type == java.util.OptionalInt.class
                || type == java.util.OptionalDouble.class
                || type == Atom.class || type == Pid.class || type == Ref.class || type == PortId.class
                || type == Binary.class || type == Class.class
                || type.getPackageName().equals("java.time")) {
            return LEAF;
        }
        String name = type.getName();
        if (name.startsWith("java.util.ImmutableCollections$") || type == Optional.class || type == Tuple.class
                || name.startsWith("java.util.KeyValueHolder")) {
            return name.startsWith("java.util.KeyValueHolder") ? fields(type) : CONTAINER;
        }
        if (name.startsWith("java.util.Collections$Unmodifiable")) {
            return new Mutable("an unmodifiable view whose backing collection can still change (use List.copyOf,"
                    + " Set.copyOf or Map.copyOf)");
        }
        if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
            return new Mutable("a mutable collection (use List.copyOf, Set.copyOf or Map.copyOf)");
        }
        if (Throwable.class.isAssignableFrom(type)) {
            return LEAF; // exit reasons carry exceptions, the JDK's and the program's own; treat them as values
        }
        if (type.getPackageName().startsWith("java.") || type.getPackageName().startsWith("javax.")) {
            return new Mutable("a JDK class Loomix does not know to be immutable");
        }
        return fields(type);
    }

    private static Kind fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                if (!Modifier.isFinal(f.getModifiers())) {
                    return new Mutable("a class with the non-final field '" + f.getName()
                            + "' (make it final, or use a record)");
                }
                if (f.trySetAccessible()) {
                    out.add(f);
                }
            }
        }
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                if (rc.getType().isArray()) {
                    return new Mutable("a record with the array component '" + rc.getName()
                            + "' (use a List)");
                }
            }
        }
        return new Fields(List.copyOf(out));
    }
}

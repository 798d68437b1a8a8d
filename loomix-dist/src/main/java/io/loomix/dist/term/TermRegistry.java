package io.loomix.dist.term;

import io.loomix.Atom;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The message types that cross the wire as Java records: each registered record is written as an
 * Erlang record (a tuple tagged with an atom, {@code {point, 1, 2}}) or as an Elixir struct
 * ({@code %Point{x: 1, y: 2}}), and a term of that shape is read back as the record.
 *
 * <p>Only registered classes are ever made from the wire: a tag or struct module names an entry of
 * this registry, never a class to load. Java serialization is never used.
 *
 * {@snippet :
 * record Point(long x, long y) {}
 * record User(String name, int age) {}
 * TermRegistry types = TermRegistry.builder()
 *         .record(Point.class, "point")        // {point, X, Y}
 *         .struct(User.class, "MyApp.User")    // %MyApp.User{name: "ann", age: 7}
 *         .build();
 * }
 *
 * <p>A term becomes the record only when its tag (or struct module), its size and every field fit
 * the record's components (see {@code docs/notes/etf.md} for the conversions); otherwise it stays a
 * {@link io.loomix.Tuple} or a {@code Map}, so a look-alike message is never lost. Immutable and safe
 * to share between connections.
 */
public final class TermRegistry {
    /** The built-in mapping alone: no records registered, binaries holding UTF-8 decode to String. */
    public static final TermRegistry DEFAULT = builder().build();

    private final Map<Class<?>, Mapping> byClass;
    private final Map<Atom, Mapping[]> byTag;
    private final Map<Atom, Mapping> byStruct;
    private final boolean binariesAsStrings;

    private TermRegistry(Builder b) {
        this.byClass = Map.copyOf(b.byClass);
        Map<Atom, Mapping[]> tags = new HashMap<>();
        b.byTag.forEach((tag, list) -> tags.put(tag, list.toArray(Mapping[]::new)));
        this.byTag = Map.copyOf(tags);
        this.byStruct = Map.copyOf(b.byStruct);
        this.binariesAsStrings = b.binariesAsStrings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code true} when a binary that is valid UTF-8 decodes to a {@code String}. */
    public boolean binariesAsStrings() {
        return binariesAsStrings;
    }

    Mapping forClass(Class<?> type) {
        return byClass.get(type);
    }

    boolean hasTags() {
        return !byTag.isEmpty();
    }

    boolean hasStructs() {
        return !byStruct.isEmpty();
    }

    /** The record for a decoded tuple whose first element is an atom, or {@code null}. */
    Object fromTuple(Object[] elements) {
        Mapping[] candidates = byTag.get((Atom) elements[0]);
        if (candidates != null) {
            for (Mapping m : candidates) {
                Object r = m.fromTuple(elements, this);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The record for a decoded map with a {@code __struct__} key naming {@code module}, or {@code null}. */
    Object fromStruct(Atom module, Object[] keys, Object[] values) {
        Mapping m = byStruct.get(module);
        return m == null ? null : m.fromStruct(keys, values, this);
    }

    /** Builds a registry; not thread-safe, use once. */
    public static final class Builder {
        private final Map<Class<?>, Mapping> byClass = new HashMap<>();
        private final Map<Atom, List<Mapping>> byTag = new HashMap<>();
        private final Map<Atom, Mapping> byStruct = new HashMap<>();
        private boolean binariesAsStrings = true;

        private Builder() {}

        /**
         * Maps {@code type} to the tagged tuple {@code {tag, c1, c2, ...}} with its components in
         * declaration order (an Erlang record {@code -record(tag, {c1, c2})}).
         */
        public <R extends Record> Builder record(Class<R> type, String tag) {
            return record(type, tag, MethodHandles.lookup());
        }

        /** As {@link #record(Class, String)}, reaching the record through the caller's {@code lookup}. */
        public <R extends Record> Builder record(Class<R> type, String tag, MethodHandles.Lookup lookup) {
            Mapping m = Mapping.tuple(type, Atom.of(tag), lookup);
            add(type, m);
            List<Mapping> same = byTag.computeIfAbsent(m.tag(), t -> new ArrayList<>());
            for (Mapping other : same) {
                if (other.arity() == m.arity()) {
                    throw new IllegalArgumentException("tag " + m.tag() + " with " + m.arity() + " fields is already "
                            + other.type().getName() + "; a tuple could not tell " + type.getName() + " from it");
                }
            }
            same.add(m);
            return this;
        }

        /**
         * Maps {@code type} to the Elixir struct {@code %Module{...}}: a map whose {@code __struct__}
         * is {@code :"Elixir.Module"} and whose keys are the components' names in snake_case
         * ({@code orderId} is {@code :order_id}).
         *
         * @param module the Elixir module, e.g. {@code "MyApp.User"} ({@code "Elixir."} is added)
         */
        public <R extends Record> Builder struct(Class<R> type, String module) {
            return struct(type, module, MethodHandles.lookup());
        }

        /** As {@link #struct(Class, String)}, reaching the record through the caller's {@code lookup}. */
        public <R extends Record> Builder struct(Class<R> type, String module, MethodHandles.Lookup lookup) {
            Objects.requireNonNull(module, "module");
            Atom atom = Atom.of(module.startsWith("Elixir.") ? module : "Elixir." + module);
            Mapping m = Mapping.struct(type, atom, lookup);
            add(type, m);
            if (byStruct.putIfAbsent(atom, m) != null) {
                throw new IllegalArgumentException("struct " + atom + " is already registered for "
                        + byStruct.get(atom).type().getName());
            }
            return this;
        }

        /**
         * Whether binaries that hold valid UTF-8 decode to {@code String} (the default, so Elixir
         * strings arrive as text) or every binary decodes to {@link io.loomix.Binary}.
         */
        public Builder binariesAsStrings(boolean asStrings) {
            this.binariesAsStrings = asStrings;
            return this;
        }

        private void add(Class<?> type, Mapping m) {
            if (byClass.putIfAbsent(type, m) != null) {
                throw new IllegalArgumentException(type.getName() + " is registered twice");
            }
        }

        public TermRegistry build() {
            return new TermRegistry(this);
        }
    }
}

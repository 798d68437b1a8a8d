package io.loomix.dist.term;

import io.loomix.Atom;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Locale;

/** One registered record: how to write it and how to build it from a decoded tuple or struct. */
final class Mapping {
    private static final Atom STRUCT_KEY = Atom.of("__struct__");

    private final Class<?> type;
    private final Atom tag;
    private final boolean struct;
    private final Field[] fields;
    private final MethodHandle constructor; // (Object[]) Object

    /** One component: its accessor typed so that ints and longs are read without boxing. */
    private record Field(String name, Atom key, Class<?> type, java.lang.reflect.Type generic, MethodHandle getter) {}

    private Mapping(Class<?> type, Atom tag, boolean struct, MethodHandles.Lookup lookup) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record; only records are mapped to terms");
        }
        this.type = type;
        this.tag = tag;
        this.struct = struct;
        RecordComponent[] rcs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[rcs.length];
        this.fields = new Field[rcs.length];
        try {
            // a named io.loomix.dist must read the record's module before it may look into it
            Mapping.class.getModule().addReads(type.getModule());
            MethodHandles.Lookup lk = MethodHandles.privateLookupIn(type, lookup);
            for (int i = 0; i < rcs.length; i++) {
                RecordComponent rc = rcs[i];
                types[i] = rc.getType();
                MethodHandle g = lk.unreflect(rc.getAccessor());
                Class<?> ret = rc.getType() == int.class || rc.getType() == long.class ? rc.getType() : Object.class;
                g = g.asType(MethodType.methodType(ret, Object.class));
                fields[i] = new Field(rc.getName(), Atom.of(snakeCase(rc.getName())), rc.getType(), rc.getGenericType(), g);
            }
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            MethodHandle c = lk.unreflectConstructor(ctor);
            this.constructor = c.asType(c.type().generic()).asSpreader(Object[].class, rcs.length);
        } catch (ReflectiveOperationException | IllegalArgumentException | SecurityException e) {
            throw new IllegalArgumentException("cannot map " + type.getName() + ": its package must be open to"
                    + " io.loomix.dist (or pass a MethodHandles.Lookup that can reach it): " + e.getMessage(), e);
        }
    }

    static Mapping tuple(Class<?> type, Atom tag, MethodHandles.Lookup lookup) {
        return new Mapping(type, tag, false, lookup);
    }

    static Mapping struct(Class<?> type, Atom module, MethodHandles.Lookup lookup) {
        return new Mapping(type, module, true, lookup);
    }

    Class<?> type() {
        return type;
    }

    Atom tag() {
        return tag;
    }

    int arity() {
        return fields.length;
    }

    /** {@code orderId} -> {@code order_id}, {@code userID} -> {@code user_id}. */
    static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Says "the field was written already" (an int or a long, written without boxing). */
    static final Object WRITTEN = new Object();

    /** Writes the tuple or map header and the tag. */
    void header(TermEncoder out) {
        if (struct) {
            out.mapHeader(fields.length + 1);
            out.atom(STRUCT_KEY);
            out.atom(tag);
        } else {
            out.tupleHeader(fields.length + 1);
            out.atom(tag);
        }
    }

    /**
     * Writes field {@code i}'s key (structs) and, for an {@code int} or {@code long}, its value;
     * returns the value left for the encoder to write, or {@link #WRITTEN}.
     */
    Object field(Object record, int i, TermEncoder out) {
        Field f = fields[i];
        if (struct) {
            out.atom(f.key);
        }
        try {
            if (f.type == int.class) {
                out.integer((int) f.getter.invokeExact(record));
                return WRITTEN;
            }
            if (f.type == long.class) {
                out.integer((long) f.getter.invokeExact(record));
                return WRITTEN;
            }
            Object v = (Object) f.getter.invokeExact(record);
            if (v == null) {
                throw new EncodeException("component " + f.name + " of " + type.getName() + " is null; Erlang"
                        + " terms have no null (use an atom such as undefined or nil)");
            }
            return v;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new EncodeException("reading " + type.getName() + "." + f.name + " failed: " + t);
        }
    }

    /** The record for {@code {tag, f1, ...}}, or {@code null} when the tuple does not fit. */
    Object fromTuple(Object[] elements, TermRegistry registry) {
        if (elements.length != fields.length + 1) {
            return null;
        }
        Object[] args = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object v = Conversions.convert(elements[i + 1], fields[i].type, fields[i].generic);
            if (v == Conversions.NO_FIT) {
                return null;
            }
            args[i] = v;
        }
        return construct(args);
    }

    /** The record for a struct's keys and values, or {@code null} when a field is missing or does not fit. */
    Object fromStruct(Object[] keys, Object[] values, TermRegistry registry) {
        Object[] args = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Atom key = fields[i].key;
            int at = -1;
            for (int k = 0; k < keys.length; k++) {
                if (keys[k] == key) {
                    at = k;
                    break;
                }
            }
            if (at < 0) {
                return null;
            }
            Object v = Conversions.convert(values[at], fields[i].type, fields[i].generic);
            if (v == Conversions.NO_FIT) {
                return null;
            }
            args[i] = v;
        }
        return construct(args);
    }

    private Object construct(Object[] args) {
        try {
            return constructor.invokeExact(args);
        } catch (RuntimeException e) {
            return null; // the record's own checks refused the values: keep the plain term
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            return null;
        }
    }
}

package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.ExitReason;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** From a decoded term to the type a registered record's component declares. */
final class Conversions {
    /** Says "this value does not fit"; never a decoded term. */
    static final Object NO_FIT = new Object();

    private Conversions() {}

    static Object convert(Object v, Class<?> type, Type generic) {
        if (type == Object.class) {
            return v;
        }
        if (type.isPrimitive()) {
            return primitive(v, type);
        }
        if (type == List.class && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> element && element != Object.class) {
            return list(v, element);
        }
        if (type.isInstance(v)) {
            return v;
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == Double.class || type == Float.class || type == Boolean.class || type == Character.class) {
            return primitive(v, unbox(type));
        }
        if (type == BigInteger.class) {
            return v instanceof Long l ? BigInteger.valueOf(l) : NO_FIT;
        }
        if (type == String.class) {
            return v instanceof Binary b && b.isValidUtf8() ? b.toUtf8String() : NO_FIT;
        }
        if (type == Binary.class) {
            return v instanceof String s ? Binary.utf8(s) : NO_FIT;
        }
        if (type == Charlist.class) {
            return v instanceof List<?> l && Charlist.isCharlist(l) ? Charlist.of(l) : NO_FIT;
        }
        if (type == Atom.class) {
            return v instanceof Boolean b ? Atom.of(b.toString()) : NO_FIT;
        }
        if (type == ExitReason.class) {
            return ExitReasons.fromTerm(v);
        }
        if (type.isEnum()) {
            String name = v instanceof Atom a ? a.name() : v instanceof Boolean b ? b.toString() : null;
            if (name != null) {
                for (Object c : type.getEnumConstants()) {
                    String constant = ((Enum<?>) c).name();
                    if (constant.equals(name) || constant.toLowerCase(Locale.ROOT).equals(name)) {
                        return c;
                    }
                }
            }
            return NO_FIT;
        }
        return NO_FIT;
    }

    private static Object list(Object v, Class<?> element) {
        if (!(v instanceof List<?> in)) {
            return NO_FIT;
        }
        List<Object> out = new ArrayList<>(in.size());
        for (Object o : in) {
            Object c = convert(o, element, element);
            if (c == NO_FIT) {
                return NO_FIT;
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    private static Class<?> unbox(Class<?> type) {
        if (type == Integer.class) return int.class;
        if (type == Long.class) return long.class;
        if (type == Short.class) return short.class;
        if (type == Byte.class) return byte.class;
        if (type == Double.class) return double.class;
        if (type == Float.class) return float.class;
        if (type == Boolean.class) return boolean.class;
        return char.class;
    }

    private static Object primitive(Object v, Class<?> type) {
        if (type == boolean.class) {
            return v instanceof Boolean ? v : NO_FIT;
        }
        if (type == double.class) {
            return v instanceof Double ? v : NO_FIT;
        }
        if (type == float.class) {
            return v instanceof Double d ? (Object) (float) (double) d : NO_FIT;
        }
        if (!(v instanceof Long l)) {
            return NO_FIT;
        }
        long n = l;
        if (type == long.class) return l;
        if (type == int.class) return n == (int) n ? (Object) (int) n : NO_FIT;
        if (type == short.class) return n == (short) n ? (Object) (short) n : NO_FIT;
        if (type == byte.class) return n == (byte) n ? (Object) (byte) n : NO_FIT;
        if (type == char.class) return n >= 0 && n <= Character.MAX_VALUE ? (Object) (char) n : NO_FIT;
        return NO_FIT;
    }
}

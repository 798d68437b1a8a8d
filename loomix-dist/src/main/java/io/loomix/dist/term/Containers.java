package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Down;
import io.loomix.Exit;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The values of decoded containers, from their children. The arrays passed in belong to the
 * decoder, which reuses them: every value made here copies what it keeps.
 */
final class Containers {
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom EXIT = Atom.of("EXIT");
    private static final Atom PROCESS = Atom.of("process");
    private static final Atom STRUCT = Atom.of("__struct__");

    private Containers() {}

    /** A registered record, Erlang's {@code 'DOWN'} or {@code 'EXIT'} message, or a {@link Tuple}. */
    static Object tuple(Object[] el, TermRegistry registry) {
        if (el[0] instanceof Atom tag) {
            if (tag == DOWN && el.length == 5 && el[1] instanceof Ref ref && el[2] == PROCESS) {
                Object object = el[3] instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom name
                        && t.get(1) instanceof Atom node ? new Name(name, node) : el[3];
                if (object instanceof Pid || object instanceof Name) {
                    return new Down(ref, object, ExitReasons.fromTerm(el[4]));
                }
            }
            if (tag == EXIT && el.length == 3 && el[1] instanceof Pid from) {
                return new Exit(from, ExitReasons.fromTerm(el[2]));
            }
            if (registry.hasTags()) {
                Object record = registry.fromTuple(el);
                if (record != null) {
                    return record;
                }
            }
        }
        return Tuple.of(el);
    }

    /** A list of {@code el}, ended by {@code []} or by {@code tail}; a list tail is appended as Erlang reads it. */
    static Object list(Object[] el, boolean hasTail, Object tail) {
        int n = el.length;
        if (!hasTail) {
            return List.of(el);
        }
        if (tail instanceof List<?> rest) {
            Object[] all = Arrays.copyOf(el, n + rest.size());
            for (int i = 0; i < rest.size(); i++) {
                all[n + i] = rest.get(i);
            }
            return List.of(all);
        }
        if (n == 0) {
            return tail;
        }
        if (tail instanceof ImproperList il) {
            Object[] all = Arrays.copyOf(el, n + il.elements().size());
            for (int i = 0; i < il.elements().size(); i++) {
                all[n + i] = il.elements().get(i);
            }
            return new ImproperList(Arrays.asList(all), il.tail());
        }
        return new ImproperList(Arrays.asList(el.clone()), tail);
    }

    /** A registered struct's record, or an immutable map. */
    static Object map(Object[] keys, Object[] values, TermRegistry registry) throws Problem {
        int n = keys.length;
        if (registry.hasStructs()) {
            for (int i = 0; i < n; i++) {
                if (keys[i] == STRUCT && values[i] instanceof Atom module) {
                    Object record = registry.fromStruct(module, keys, values);
                    if (record != null) {
                        return record;
                    }
                    break;
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map.Entry<Object, Object>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
            entries[i] = Map.entry(keys[i], values[i]);
        }
        try {
            return Map.ofEntries(entries);
        } catch (IllegalArgumentException e) {
            throw new Problem("map has a duplicate key (" + e.getMessage() + ")");
        }
    }
}

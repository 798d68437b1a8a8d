package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;

import java.util.Arrays;

/**
 * A container the decoder has opened and not yet finished: its children so far. Frames are kept
 * per nesting level and reused from term to term; small child arrays are kept by size, since the
 * values built from them copy them ({@link Containers}).
 */
final class DecodeFrame {
    static final int TUPLE = 0, LIST = 1, MAP = 2, FUN = 3;
    private static final int SCRATCH = 16;

    /** The fields of a fun that come before its free variables. */
    record FunHeader(int sizeAt, long size, Atom module, int arity, Binary uniq, int index, int oldIndex,
                     int oldUniq, Pid pid) {}

    int kind;
    /** Where the container's tag is, for errors. */
    int at;
    int n;
    int i;
    Object[] items;
    Object[] values;
    Object tail;
    /** A list whose elements are read and whose tail is not {@code []}: the next child is the tail. */
    boolean tailNext;
    FunHeader fun;

    private final Object[][] itemsBySize = new Object[SCRATCH + 1][];
    private final Object[][] valuesBySize = new Object[SCRATCH + 1][];

    void open(int kind, int n, int at) {
        this.kind = kind;
        this.at = at;
        this.n = n;
        this.i = 0;
        this.tail = null;
        this.tailNext = false;
        this.fun = null;
        this.items = scratch(itemsBySize, n);
        this.values = kind == MAP ? scratch(valuesBySize, n) : null;
    }

    /** Drops every reference to decoded values, so a kept frame holds no garbage. */
    void release() {
        if (items != null) {
            Arrays.fill(items, null);
            items = null;
        }
        if (values != null) {
            Arrays.fill(values, null);
            values = null;
        }
        tail = null;
        fun = null;
    }

    /** An array of exactly {@code n} slots: a kept one for small sizes, a new one otherwise. */
    private static Object[] scratch(Object[][] bySize, int n) {
        if (n > SCRATCH) {
            return new Object[n];
        }
        Object[] a = bySize[n];
        if (a == null) {
            a = bySize[n] = new Object[n];
        }
        return a;
    }
}

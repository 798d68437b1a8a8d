package io.loomix.otp;

/**
 * Which children a supervisor restarts when one exits and must be restarted. Each strategy is a
 * pure function of the children's order, so it is tested without processes.
 */
public enum Strategy {
    /** Only the child that exited. */
    ONE_FOR_ONE,
    /** All children: the others are stopped (in reverse start order), then all start again in order. */
    ONE_FOR_ALL,
    /** The child that exited and every child started after it. */
    REST_FOR_ONE;

    /**
     * The positions restarted when the child at {@code index} of {@code size} (in start order)
     * exits: {@code from} inclusive to {@code to} exclusive.
     */
    Range affected(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("child " + index + " of " + size);
        }
        return switch (this) {
            case ONE_FOR_ONE -> new Range(index, index + 1);
            case ONE_FOR_ALL -> new Range(0, size);
            case REST_FOR_ONE -> new Range(index, size);
        };
    }

    record Range(int from, int to) {}
}

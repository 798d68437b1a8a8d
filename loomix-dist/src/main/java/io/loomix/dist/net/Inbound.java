package io.loomix.dist.net;

/**
 * One whole distribution message as it came off the wire (fragments joined): the control term,
 * then the message term for the kinds that carry one.
 *
 * @param bytes     the buffer; only {@code [offset, offset+length)} belongs to the message
 * @param versioned whether each term starts with the version byte 131 (pass-through frames) or
 *                  not (frames with a distribution header)
 * @param atomRefs  the atoms the header's atom cache refs name, by index; null when it had none
 */
public record Inbound(byte[] bytes, int offset, int length, boolean versioned, io.loomix.Atom[] atomRefs) {
    public Inbound(byte[] bytes, int offset, int length, boolean versioned) {
        this(bytes, offset, length, versioned, null);
    }
}

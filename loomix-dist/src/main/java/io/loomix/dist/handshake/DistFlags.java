package io.loomix.dist.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * The capability flags two nodes exchange in the handshake (erl_dist_protocol.md, dist.h); what
 * a connection uses is the AND of both sides' flags.
 */
public final class DistFlags {
    public static final long PUBLISHED = 0x1;
    public static final long EXTENDED_REFERENCES = 0x4;
    public static final long DIST_MONITOR = 0x8;
    public static final long FUN_TAGS = 0x10;
    public static final long DIST_MONITOR_NAME = 0x20;
    public static final long NEW_FUN_TAGS = 0x80;
    public static final long EXTENDED_PIDS_PORTS = 0x100;
    public static final long EXPORT_PTR_TAG = 0x200;
    public static final long BIT_BINARIES = 0x400;
    public static final long NEW_FLOATS = 0x800;
    /** The node's I/O servers take unicode requests ({@code {put_chars, unicode, ...}}): io.erl then sends them. */
    public static final long UNICODE_IO = 0x1000;
    public static final long DIST_HDR_ATOM_CACHE = 0x2000;
    public static final long UTF8_ATOMS = 0x10000;
    public static final long MAP_TAG = 0x20000;
    public static final long BIG_CREATION = 0x40000;
    public static final long SEND_SENDER = 0x80000;
    public static final long EXIT_PAYLOAD = 0x400000;
    public static final long FRAGMENTS = 0x800000;
    public static final long HANDSHAKE_23 = 0x1000000;
    public static final long UNLINK_ID = 0x2000000;
    /** Stands for all the OTP 25 mandatory flags; OTP sets it together with the individual bits. */
    public static final long MANDATORY_25_DIGEST = 0x4000000;
    public static final long SPAWN = 1L << 32;
    public static final long NAME_ME = 1L << 33;
    public static final long V4_NC = 1L << 34;
    public static final long ALIAS = 1L << 35;

    /** What OTP 25 refuses to connect without. */
    public static final long MANDATORY_25 = EXTENDED_REFERENCES | FUN_TAGS | NEW_FUN_TAGS | EXTENDED_PIDS_PORTS
            | EXPORT_PTR_TAG | BIT_BINARIES | NEW_FLOATS | UTF8_ATOMS | MAP_TAG | BIG_CREATION | HANDSHAKE_23;
    /** What OTP 26 adds to them. */
    public static final long MANDATORY_26 = UNLINK_ID | V4_NC;

    /**
     * What a Loomix node offers: the mandatory flags (it decodes every term they imply), monitors
     * by pid and name, SEND_SENDER, fragments, aliases, spawn requests, the atom cache (read: an
     * erl peer sends cache refs; this node's own headers carry none), unicode I/O (its group leader
     * takes unicode requests). Not offered: exit payloads, NAME_ME.
     */
    public static final long LOOMIX = MANDATORY_25 | MANDATORY_26 | MANDATORY_25_DIGEST | DIST_MONITOR
            | DIST_MONITOR_NAME | SEND_SENDER | FRAGMENTS | ALIAS | SPAWN | DIST_HDR_ATOM_CACHE | UNICODE_IO;

    private DistFlags() {}

    /** The OTP 25 mandatory flags missing from {@code flags} (what a peer must offer), empty when none is. */
    public static List<String> missingMandatory(long flags) {
        List<String> out = new ArrayList<>();
        long missing = MANDATORY_25 & ~flags;
        String[] names = {"EXTENDED_REFERENCES", "FUN_TAGS", "NEW_FUN_TAGS", "EXTENDED_PIDS_PORTS", "EXPORT_PTR_TAG",
            "BIT_BINARIES", "NEW_FLOATS", "UTF8_ATOMS", "MAP_TAG", "BIG_CREATION", "HANDSHAKE_23", "UNLINK_ID", "V4_NC"};
        long[] bits = {EXTENDED_REFERENCES, FUN_TAGS, NEW_FUN_TAGS, EXTENDED_PIDS_PORTS, EXPORT_PTR_TAG,
            BIT_BINARIES, NEW_FLOATS, UTF8_ATOMS, MAP_TAG, BIG_CREATION, HANDSHAKE_23, UNLINK_ID, V4_NC};
        for (int i = 0; i < bits.length; i++) {
            if ((missing & bits[i]) != 0) {
                out.add(names[i]);
            }
        }
        return out;
    }
}

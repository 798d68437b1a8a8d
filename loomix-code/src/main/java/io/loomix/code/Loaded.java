package io.loomix.code;

import java.time.Instant;

/**
 * One loaded version of a module, as {@link Code#which} and {@link Code#allLoaded} report it.
 *
 * @param module   the module's name (its main class's binary name)
 * @param vsn      1 for the first version this node loaded, then 2, 3...: what
 *                 {@code codeChange} receives as {@code oldVsn}
 * @param origin   the source file it was compiled from, or {@code nl from NODE}
 * @param loadedAt when it was loaded
 * @param hasOld   whether an old version is still loaded beside it
 */
public record Loaded(String module, int vsn, String origin, Instant loadedAt, boolean hasOld) {}

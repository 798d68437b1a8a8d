package io.loomix.dist.term;

/**
 * Bounds on what one {@link TermDecoder} accepts, so that bad input costs at most its own size.
 *
 * @param maxDepth             how deeply terms may nest (each tuple, list, map or fun is a level); the
 *                             decoder keeps its own stack on the heap, so depth never overflows a thread's
 * @param maxNewAtoms          how many atoms that did not exist yet one decoder (one connection) may
 *                             add to the node's atom table over its life; atoms are never freed,
 *                             so a peer that sends fresh atoms would otherwise fill the table
 * @param maxUncompressedBytes the largest size a compressed term may claim when expanded
 */
public record DecodeLimits(int maxDepth, int maxNewAtoms, int maxUncompressedBytes) {

    /** 100,000 levels, 100,000 new atoms per decoder, 64 MiB expanded. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(100_000, 100_000, 64 << 20);

    public DecodeLimits {
        if (maxDepth < 1 || maxNewAtoms < 0 || maxUncompressedBytes < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxDepth + ", " + maxNewAtoms
                    + ", " + maxUncompressedBytes);
        }
    }

    public DecodeLimits withMaxDepth(int depth) {
        return new DecodeLimits(depth, maxNewAtoms, maxUncompressedBytes);
    }

    public DecodeLimits withMaxNewAtoms(int atoms) {
        return new DecodeLimits(maxDepth, atoms, maxUncompressedBytes);
    }

    public DecodeLimits withMaxUncompressedBytes(int bytes) {
        return new DecodeLimits(maxDepth, maxNewAtoms, bytes);
    }
}

package io.loomix.bench;

import java.util.Optional;

/** A program that runs the workloads in a process of its own and answers with a RESULT line. */
sealed interface Peer permits JvmPeer, BeamPeer {

    /** The name in RESULT lines, reports and --peers. */
    String name();

    /** Why this peer cannot run on this machine at all, checked once before any workload. */
    Optional<String> unavailable();

    ProcessBuilder command(Workload workload, int size);
}

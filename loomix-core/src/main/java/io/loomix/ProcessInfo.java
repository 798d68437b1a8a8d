package io.loomix;

import java.util.List;

/**
 * What {@link Process#info(Pid)} tells about a live process: Erlang's {@code process_info/1}.
 * A moment's picture: the process keeps running while it is taken.
 *
 * @param pid              the process
 * @param status           {@code running} (or runnable), {@code waiting} (in receive), {@code suspended}
 *                         (sending to a node whose connection is busy, as on BEAM), {@code exiting}
 * @param messageQueueLen  messages waiting in its mailbox
 * @param links            processes it is linked to
 * @param monitors         what it monitors: a {@link Pid}, or the {@link Name} it monitored by
 *                         name (Erlang shows {@code {process, {Name, Node}}})
 * @param monitoredBy      processes that monitor it
 * @param registeredName   its registered name, or null
 * @param trapExit         whether it traps exits
 * @param initialCall      the function it was spawned with, as {@code Class.method/arity}
 * @param reductions       work done so far: messages sent and matched, processes spawned, and
 *                         4000 for each time slice it used up
 * @param priority         its scheduling priority
 * @param memory           bytes it allocated since it last came out of a receive, what
 *                         {@link SpawnOptions#maxHeapBytes()} limits; -1 when its allocations are
 *                         not counted (see {@link SpawnOptions#accounting()})
 * @param allocatedBytes   bytes it allocated since it started; -1 when not counted
 */
public record ProcessInfo(
        Pid pid,
        String status,
        long messageQueueLen,
        List<Pid> links,
        List<Object> monitors,
        List<Pid> monitoredBy,
        Atom registeredName,
        boolean trapExit,
        String initialCall,
        long reductions,
        Priority priority,
        long memory,
        long allocatedBytes) {}

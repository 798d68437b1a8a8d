package io.loomix.code;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Down;
import io.loomix.Name;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Ref;
import io.loomix.Tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The receiving end of {@code nl} between nodes: a process registered as
 * {@value #NAME} that loads the modules other nodes send it, and {@link #peer} to reach the one of
 * another node. Messages are plain terms, so they cross any distribution that carries Erlang's
 * terms (the runtime's {@code Name} sends and monitors; this class needs no distribution API):
 *
 * <pre>
 * {load, From, Ref, Binary}   ->  {Ref, ok, Module, Vsn, Origin, HasOld}  |  {Ref, error, Why}
 * {which, From, Ref}          ->  {Ref, loomix}
 * </pre>
 *
 * A node without this process (a BEAM node, a Loomix node that did not start it) makes the
 * monitor of the name fire at once with {@code noproc}: {@link Peer#runsLoomix()} is then false.
 */
public final class NlServer {
    /** The registered name of the process on each node. */
    public static final String NAME = "loomix_code_server";

    private static final Atom LOAD = Atom.of("load");
    private static final Atom WHICH = Atom.of("which");
    private static final Atom OK = Atom.of("ok");
    private static final Atom ERROR = Atom.of("error");
    private static final Atom LOOMIX = Atom.of("loomix");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

    private NlServer() {}

    /** Starts this node's server (once; a second call returns the running one) loading into {@link Code#server()}. */
    public static synchronized Pid start() {
        Optional<Pid> running = Process.whereis(NAME);
        if (running.isPresent()) {
            return running.get();
        }
        Pid pid = Process.spawn(NlServer::serve);
        Process.register(NAME, pid);
        return pid;
    }

    private static void serve() {
        while (true) {
            Object m = Process.receive();
            if (!(m instanceof Tuple t) || t.size() < 3 || !(t.get(1) instanceof Pid from) || !(t.get(2) instanceof Ref ref)) {
                continue; // not a request of ours: dropped, as a server drops what it does not understand
            }
            if (t.get(0) == WHICH) {
                Process.send(from, Tuple.of(ref, LOOMIX));
            } else if (t.get(0) == LOAD && t.size() == 4) {
                Process.send(from, load(ref, t.get(3)));
            }
        }
    }

    private static Tuple load(Ref ref, Object wire) {
        try {
            byte[] bytes = switch (wire) {
                case Binary b -> b.toByteArray();
                case byte[] b -> b;
                // a binary that happens to be valid UTF-8 arrives as a String; its bytes are the same
                case String s -> s.getBytes(StandardCharsets.UTF_8);
                default -> throw new IllegalArgumentException("a module's binary was expected, got " + wire.getClass().getName());
            };
            Loaded l = Code.server().loadBinary(ModuleBinary.decode(bytes));
            return Tuple.of(ref, OK, l.module(), (long) l.vsn(), String.valueOf(l.origin()), l.hasOld());
        } catch (RuntimeException e) {
            return Tuple.of(ref, ERROR, String.valueOf(e.getMessage()));
        }
    }

    /**
     * The server of {@code node} as {@code nl} sees it. Its methods must be called from a process
     * (they wait for the answer in the caller's mailbox); {@link Code#nl} is, from the shell.
     */
    public static Peer peer(String node) {
        Objects.requireNonNull(node, "peer: node must not be null");
        Name server = Name.of(NAME, node);
        return new Peer() {
            @Override
            public String node() {
                return node;
            }

            @Override
            public boolean runsLoomix() {
                return ask(server, (from, ref) -> Tuple.of(WHICH, from, ref), PROBE_TIMEOUT) instanceof Tuple t
                        && t.size() == 2 && t.get(1) == LOOMIX;
            }

            @Override
            public Loaded load(ModuleBinary module) {
                Object answer = ask(server, (from, ref) -> Tuple.of(LOAD, from, ref, Binary.of(module.encode())), LOAD_TIMEOUT);
                return switch (answer) {
                    case Tuple t when t.size() == 6 && t.get(1) == OK -> new Loaded((String) t.get(2),
                            ((Number) t.get(3)).intValue(), String.valueOf(t.get(4)), Instant.now(),
                            Boolean.TRUE.equals(t.get(5)) || Atom.of("true").equals(t.get(5)));
                    case Tuple t when t.size() == 3 && t.get(1) == ERROR -> throw new IllegalStateException(String.valueOf(t.get(2)));
                    case Down d -> throw new IllegalStateException("no Loomix code server on " + node + ": " + d.reason());
                    case null -> throw new IllegalStateException(node + " did not answer within " + LOAD_TIMEOUT.toSeconds() + " s");
                    default -> throw new IllegalStateException(node + " answered " + answer);
                };
            }
        };
    }

    @FunctionalInterface
    private interface Request {
        Tuple make(Pid from, Ref ref);
    }

    /** The answer tagged with a new ref, the Down of the server (gone, or never there), or null after {@code timeout}. */
    private static Object ask(Name server, Request request, Duration timeout) {
        return Process.run(() -> {
            Ref mon = Process.monitor(server);
            Ref ref = Process.makeRef();
            Process.send(server, request.make(Process.self(), ref));
            Object answer = Process.receive(timeout, m -> switch (m) {
                case Tuple t when t.size() >= 2 && ref.equals(t.get(0)) -> t;
                case Down d when d.ref().equals(mon) -> d;
                default -> null;
            }, () -> null);
            Process.demonitor(mon, true);
            return answer;
        });
    }
}

package io.loomix.cli;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.Node;
import io.loomix.otp.GenServer;
import io.loomix.otp.Init;
import io.loomix.otp.Result;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The talk's second demo, Grepex, as Loomix nodes serve it: a search over this node's share of the
 * documents, reached the ways the talk reaches it. Start a node with it:
 * {@snippet lang=shell :
 * ./loomix node --sname node2 --cookie codecamp --main io.loomix.cli.Grepex
 * }
 * and from iex (or a Loomix shell, or erl) on another node:
 * {@snippet lang=elixir :
 * :rpc.call(:"node2@host", :"io.loomix.cli.Grepex", :search, [["elixir"], self()])
 * GenServer.cast({IxQuick, :"node2@host"}, {:search, ["elixir"], self()})
 * pid = Node.spawn(:"node2@host", :"io.loomix.cli.Grepex", :run, [])
 * send(pid, {:search, ["elixir"], self()})
 * flush()
 * }
 * Each line that contains one of the terms comes back as {@code {result, Node, Doc, Line}},
 * then {@code {done, Node, Count}}. The server is registered as {@code 'Elixir.IxQuick'}, the atom
 * Elixir's {@code IxQuick} stands for, so the talk's {@code GenServer.cast({IxQuick, node}, ...)}
 * reaches it as written; from Java it is {@code Name.of("Elixir.IxQuick", node)}. The talk's
 * engines were web search engines; here each node searches documents of its own (the talk's
 * outline), which keeps the demo off the network.
 */
public final class Grepex {
    /** What this node searches: the talk's outline, a document per section. */
    static final Map<String, List<String>> DOCS = Map.of(
            "processes.md", List.of(
                    "Processes are the key ingredient in building fault tolerant and scalable apps",
                    "Shared nothing execution contexts, preemptively scheduled across a set of OS threads",
                    "Intrinsically capable of running concurrently"),
            "mailbox.md", List.of(
                    "A process may receive arbitrary messages and store them in its inbox",
                    "Messages are filtered using pattern matching",
                    "Message passing ties the small programs into bigger ones"),
            "lifespan.md", List.of(
                    "Linking connects one process to another: if one exits abnormally, the linked one crashes too",
                    "Monitoring handles exit events instead of crashing, as Elixir and Erlang do with trap_exit",
                    "Supervisor.start_link(children, strategy)"),
            "distribution.md", List.of(
                    "Distribution models: local, socket based",
                    "nl Grepex deploys to other servers; the BEAM (or a Loomix JVM) must be present",
                    "epmd -names lists the nodes of a host"));

    private static final Atom RESULT = Atom.of("result");
    private static final Atom DONE = Atom.of("done");
    private static final Atom SEARCH = Atom.of("search");

    private Grepex() {}

    /** {@code --main}: starts the IxQuick server on this node and says so. */
    public static void main(String[] args) {
        Process.run(() -> GenServer.start(new IxQuick(), Atom.of("Elixir.IxQuick"))); // start needs a process; the server outlives it
        System.out.println("grepex ready on " + Node.self());
        System.out.flush();
    }

    /**
     * {@code :rpc.call(node, Grepex, :search, [terms, self()])}: sends {@code replyTo} every line
     * that contains one of {@code terms} (case aside), then {@code done}; returns how many.
     */
    public static long search(List<String> terms, Pid replyTo) {
        long count = 0;
        for (var doc : DOCS.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            for (String line : doc.getValue()) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (terms.stream().anyMatch(t -> lower.contains(t.toLowerCase(Locale.ROOT)))) {
                    Process.send(replyTo, Tuple.of(RESULT, Node.self(), doc.getKey(), line));
                    count++;
                }
            }
        }
        Process.send(replyTo, Tuple.of(DONE, Node.self(), count));
        return count;
    }

    /** {@code Node.spawn(node, Grepex, :run, [])}: a process that serves {@code {search, Terms, From}} until told {@code stop}. */
    public static void run() {
        while (true) {
            Object m = Process.receive();
            if (m instanceof Tuple t && t.size() == 3 && t.get(0) == SEARCH && t.get(1) instanceof List<?> terms
                    && t.get(2) instanceof Pid from) {
                search(strings(terms), from);
            } else if (m == Atom.of("stop")) {
                return;
            }
        }
    }

    /** Terms as they come: strings from Java, binaries (as strings) or charlists from Erlang and Elixir. */
    private static List<String> strings(List<?> terms) {
        return terms.stream().map(Object::toString).toList();
    }

    /** The talk's IxQuick: {@code GenServer.cast({IxQuick, node}, {:search, terms, self()})}; counts the searches. */
    static final class IxQuick extends GenServer<Long> {
        @Override
        protected Init<Long> init() {
            return ok(0L);
        }

        @Override
        protected Result<Long> handleCast(Object request, Long searches) {
            if (request instanceof Tuple t && t.size() == 3 && t.get(0) == SEARCH && t.get(1) instanceof List<?> terms
                    && t.get(2) instanceof Pid from) {
                search(strings(terms), from);
                return noReply(searches + 1);
            }
            return noReply(searches);
        }
    }
}

package io.loomix.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./loomix shell [--sname NAME | --name NAME@HOST] [--cookie C] [--eval 'snippets']}: the
 * interactive shell, or {@code --eval} to evaluate, print the results and exit (status 1 if a
 * snippet failed).
 */
public final class ShellMain {
    /**
     * Set by {@code ./loomix shell} when its input and output are a terminal: print the banner and
     * the first prompt as soon as the JVM runs, before the node and the line reader are ready.
     */
    static final String EARLY_PROMPT = "loomix.shell.earlyPrompt";

    private ShellMain() {}

    record Options(String name, boolean longNames, String cookie, String eval, boolean autocluster) {}

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loomix shell: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(USAGE);
            return;
        }
        // Interactive: the banner and the first prompt go out now, and the terminal is built while
        // the node starts; the line reader takes the prompt over when both are ready (Console.run).
        boolean promptShown = false;
        CompletableFuture<Shell> started = new CompletableFuture<>();
        CompletableFuture<Console.Line> line = null;
        if (options.eval() == null) {
            if (Boolean.getBoolean(EARLY_PROMPT)) {
                System.out.print(Console.banner() + System.lineSeparator() + Console.prompt(1));
                System.out.flush();
                promptShown = true;
            }
            String home = System.getProperty("user.home", ".");
            String history = System.getenv().getOrDefault("LOOMIX_HISTORY", Path.of(home, ".loomix_history").toString());
            line = Console.open(Path.of(history), started::join);
        }
        // Looked for only when asked: loading the provider loads distribution's classes, on the start's path.
        Optional<Distribution> dist = options.name() == null ? Optional.empty()
                : ServiceLoader.load(Distribution.class).findFirst();
        String node = "nonode@nohost";
        if (options.name() != null) {
            if (dist.isPresent()) {
                try {
                    node = dist.get().start(options.name(), options.longNames(), options.cookie());
                    if (options.autocluster()) {
                        try {
                            dist.get().autocluster(); // silent when it works, as iex with libcluster is
                        } catch (RuntimeException e) {
                            System.err.println("loomix shell: " + e.getMessage() + "; the node runs without it");
                        }
                    }
                } catch (RuntimeException e) {
                    if (promptShown) {
                        System.out.println(); // below the early prompt
                    }
                    System.err.println("loomix shell: the node could not start as " + options.name() + ": " + e.getMessage());
                    System.err.flush();
                    Runtime.getRuntime().halt(1);
                }
            } else {
                System.err.println("loomix shell: distribution is not available in this build (loomix-dist is missing),"
                        + " so " + (options.longNames() ? "--name " : "--sname ") + options.name()
                        + " is ignored and this shell is not distributed");
            }
        } else if (options.cookie() != null) {
            System.err.println("loomix shell: --cookie without --sname or --name: the node is not distributed, the cookie is unused");
        }
        Shell shell = Shell.start(notice -> System.out.println(notice), dist);
        started.complete(shell);
        int status = 0;
        if (line == null) {
            status = evalAndPrint(shell, options.eval());
        } else {
            Console.run(shell, node, line.join(), promptShown);
        }
        System.out.flush();
        Runtime.getRuntime().halt(status); // halts the node: its processes go with it, as q() does in Erlang
    }

    private static int evalAndPrint(Shell shell, String snippets) {
        int status = 0;
        List<Outcome> outcomes = shell.eval(snippets);
        System.out.flush();
        for (Outcome o : outcomes) {
            String text = Outcome.render(o);
            if (!text.isEmpty()) {
                (o instanceof Outcome.Threw || o instanceof Outcome.Rejected || o instanceof Outcome.Exited
                        ? System.err : System.out).println(text);
            }
            if (o instanceof Outcome.Threw || o instanceof Outcome.Rejected || o instanceof Outcome.Exited) {
                status = 1;
            }
        }
        System.err.flush();
        return status;
    }

    static final String USAGE = """
            usage: ./loomix shell [--sname NAME | --name NAME@HOST] [--cookie COOKIE] [--autocluster] [--eval 'SNIPPETS']
              --sname NAME        make this node distributed as NAME@thishost (needs loomix-dist)
              --name NAME@HOST    the same with a full host name
              --cookie COOKIE     the cookie other nodes must present
              --autocluster       join every node that gossips on the network (libcluster's Gossip strategy)
              --eval 'SNIPPETS'   evaluate Java snippets (several statements allowed), print the results, exit""";

    /** Returns null for --help. */
    static Options parse(String[] args) {
        String name = null;
        boolean longNames = false;
        String cookie = null;
        String eval = null;
        boolean autocluster = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--autocluster" -> autocluster = true;
                case "--sname", "--name", "--cookie", "--eval" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--sname", "--name" -> {
                            if (name != null) {
                                throw new IllegalArgumentException("give one of --sname and --name, once");
                            }
                            if (a.equals("--sname") && v.contains("@")) {
                                throw new IllegalArgumentException("--sname takes a name without a host (" + v
                                        + "); use --name NAME@HOST for a full name");
                            }
                            if (a.equals("--name") && !v.contains("@")) {
                                throw new IllegalArgumentException("--name takes NAME@HOST (" + v + "); use --sname for a short name");
                            }
                            name = v;
                            longNames = a.equals("--name");
                        }
                        case "--cookie" -> cookie = v;
                        default -> eval = v;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (autocluster && name == null) {
            throw new IllegalArgumentException("--autocluster needs a distributed node: add --sname NAME or --name NAME@HOST");
        }
        return new Options(name, longNames, cookie, eval, autocluster);
    }
}

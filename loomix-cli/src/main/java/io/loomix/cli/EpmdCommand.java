package io.loomix.cli;

import io.loomix.dist.epmd.Epmd;
import io.loomix.dist.epmd.EpmdClient;

import java.io.IOException;
import java.util.Arrays;

/** {@code ./loomix epmd -names [-port N]}: what {@code epmd -names} prints, without an Erlang install. */
final class EpmdCommand {
    private EpmdCommand() {}

    static int run(String[] args) {
        int port;
        try {
            port = Epmd.portFromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("loomix epmd: " + e.getMessage());
            return 2;
        }
        boolean names = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-names" -> names = true;
                case "-port" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("\\d{1,5}")) {
                        System.err.println("loomix epmd: -port needs a port number");
                        return 2;
                    }
                    port = Integer.parseInt(args[++i]);
                }
                default -> {
                    System.err.println("loomix epmd: unknown option '" + args[i] + "' in " + Arrays.toString(args)
                            + "; usage: ./loomix epmd -names [-port N]");
                    return 2;
                }
            }
        }
        if (!names) {
            System.err.println("usage: ./loomix epmd -names [-port N]  (a node starts its own epmd when none runs)");
            return 2;
        }
        try {
            System.out.print(EpmdClient.local(port).names().describe());
            return 0;
        } catch (IOException e) {
            // epmd -names prints this when nothing listens
            System.out.println("epmd: Cannot connect to local epmd");
            return 1;
        }
    }
}

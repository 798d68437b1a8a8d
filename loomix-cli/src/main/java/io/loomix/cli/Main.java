package io.loomix.cli;

import java.util.Arrays;

/** The {@code ./loomix} sub-commands that run in the JVM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String command = args.length == 0 ? "demo" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "demo" -> {
                if (rest.length > 0 && rest[0].equals("cluster")) {
                    ClusterDemo.main(rest);
                } else {
                    Demo.main(rest);
                }
            }
            case "epmd" -> System.exit(EpmdCommand.run(rest));
            case "node" -> NodeCommand.run(rest);
            default -> {
                System.err.println("loomix: unknown command '" + command + "'; try ./loomix help");
                System.exit(2);
            }
        }
    }
}

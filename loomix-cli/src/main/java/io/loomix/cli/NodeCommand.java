package io.loomix.cli;

import io.loomix.Atom;
import io.loomix.dist.Gossip;
import io.loomix.dist.Node;
import io.loomix.dist.NodeOptions;
import io.loomix.observer.Observer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./loomix node --sname NAME | --name NAME@HOST [--cookie C] [--hidden] [--observer PORT] [--autocluster ...] [--main CLASS args...]}:
 * a node that stays up until the JVM is halted or gets SIGTERM, when it unregisters from epmd;
 * {@code --observer PORT} serves its observer on that port of the loopback interface (0: any free one);
 * {@code --autocluster} joins every node that gossips on the network ({@link Gossip}, libcluster's
 * Gossip strategy), with {@code --autocluster-if ADDR}, {@code --autocluster-port P} and
 * {@code --autocluster-secret S} for its interface, port and secret.
 */
final class NodeCommand {
    private static final String USAGE = "usage: ./loomix node --sname NAME | --name NAME[@HOST] [--cookie C] [--hidden]"
            + " [--observer PORT] [--autocluster [--autocluster-if ADDR] [--autocluster-port P] [--autocluster-secret S]]"
            + " [--cp PATH] [--main CLASS args...]";

    private NodeCommand() {}

    static void run(String[] args) {
        String name = null;
        String cookie = null;
        boolean longNames = false;
        boolean hidden = false;
        String main = null;
        Integer observerPort = null;
        Gossip.Options gossip = null;
        String[] mainArgs = new String[0];
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--sname", "--name" -> {
                    name = value(args, i++, a);
                    longNames = a.equals("--name");
                }
                case "--cookie" -> cookie = value(args, i++, a);
                case "--hidden" -> hidden = true;
                case "--observer" -> observerPort = port(value(args, i++, a), a + " (0: any free one)");
                case "--autocluster" -> gossip = gossip != null ? gossip : Gossip.Options.DEFAULT;
                case "--autocluster-if", "--autocluster-port", "--autocluster-secret" -> {
                    String v = value(args, i++, a);
                    Gossip.Options g = gossip != null ? gossip : Gossip.Options.DEFAULT;
                    try {
                        gossip = switch (a) {
                            case "--autocluster-if" -> g.onInterface(v);
                            case "--autocluster-port" -> g.withPort(port(v, a));
                            default -> g.withSecret(v);
                        };
                    } catch (IllegalArgumentException e) {
                        fail(a + ": " + e.getMessage());
                    }
                }
                case "--main" -> {
                    main = value(args, i++, a);
                    mainArgs = Arrays.copyOfRange(args, i + 1, args.length);
                    i = args.length;
                }
                default -> fail("unknown option '" + a + "'");
            }
        }
        if (name == null) {
            fail("a node needs a name: --sname NAME or --name NAME@HOST");
        }
        Atom node;
        try {
            node = Node.start(name, cookie, NodeOptions.DEFAULT.withLongNames(longNames).withHidden(hidden));
        } catch (RuntimeException e) {
            System.err.println("loomix node: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch halted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Node.stop();
            halted.countDown();
        }, "loomix-node-stop"));
        System.out.println("loomix node " + node + " is up (stop it with Ctrl-C or SIGTERM)");
        if (observerPort != null) {
            startObserver(observerPort);
        }
        if (gossip != null) {
            startGossip(gossip);
        }
        System.out.flush();
        if (main != null) {
            runMain(main, mainArgs);
        }
        try {
            halted.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void startGossip(Gossip.Options options) {
        try {
            Gossip.start(options);
            System.out.println("autocluster: gossiping on " + options.group().getHostAddress() + ":" + options.port()
                    + (options.onInterface() == null ? "" : " via " + options.onInterface().getHostAddress())
                    + (options.secret() == null ? "" : ", encrypted"));
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("loomix node: autocluster could not start: " + e.getMessage() + "; the node runs without it");
        }
    }

    private static void runMain(String className, String[] args) {
        try {
            Method m = Class.forName(className).getMethod("main", String[].class);
            if (!Modifier.isStatic(m.getModifiers())) {
                fail(className + ".main is not static");
            }
            m.invoke(null, (Object) args);
        } catch (ClassNotFoundException e) {
            fail("class " + className + " is not on the classpath: add its directory or jar with --cp PATH");
        } catch (NoSuchMethodException e) {
            fail(className + " has no public static void main(String[])");
        } catch (InvocationTargetException e) {
            System.err.println("loomix node: " + className + ".main failed; the node stays up:");
            e.getCause().printStackTrace();
        } catch (IllegalAccessException e) {
            fail(className + ".main is not public");
        }
    }

    private static void startObserver(int port) {
        try {
            Observer o = Observer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    () -> Node.list().stream().map(Atom::toString).toList());
            System.out.println("observer at " + o.uri());
        } catch (RuntimeException e) {
            System.err.println("loomix node: " + e.getMessage() + "; the node runs without its observer");
        }
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // told below
        }
        fail(option + " needs a port from 0 to 65535, got '" + text + "'");
        return -1;
    }

    private static String value(String[] args, int i, String option) {
        if (i + 1 >= args.length) {
            fail(option + " needs a value");
        }
        return args[i + 1];
    }

    private static void fail(String why) {
        System.err.println("loomix node: " + why + "\n" + USAGE);
        System.exit(2);
    }
}

package io.loomix.dist.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts erl and elixir nodes for interop tests, on a test epmd, never touching port 4369. */
public final class Erl {
    private Erl() {}

    /** The host part erl gives {@code -sname} nodes: the short host name. */
    public static String shortHost() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot < 0 ? h : h.substring(0, dot);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code erl -sname NAME -setcookie COOKIE -noshell -eval CODE} on the epmd at {@code epmdPort}.
     * Extra arguments go before -eval (e.g. "-kernel", "net_ticktime", "2").
     */
    public static Child start(int epmdPort, String sname, String cookie, String code, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("erl", "-sname", sname, "-setcookie", cookie,
                "-start_epmd", "false", "-noshell"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-eval", code));
        return Child.start(Map.of("ERL_EPMD_PORT", Integer.toString(epmdPort)), cmd);
    }

    /** {@code elixir --sname NAME --cookie COOKIE -e CODE} on the epmd at {@code epmdPort}. */
    public static Child elixir(int epmdPort, String sname, String cookie, String code) {
        return Child.start(Map.of("ERL_EPMD_PORT", Integer.toString(epmdPort),
                        "ELIXIR_ERL_OPTIONS", "-start_epmd false"),
                List.of("elixir", "--sname", sname, "--cookie", cookie, "-e", code));
    }
}

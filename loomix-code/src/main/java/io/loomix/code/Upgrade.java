package io.loomix.code;

import io.loomix.Pid;

/** What {@link CodeServer#upgradeServers} did to one GenServer. */
public sealed interface Upgrade {
    Pid server();

    /** It runs the new version now, with the state its codeChange returned. */
    record Moved(Pid server, int fromVsn, int toVsn) implements Upgrade {}

    /** It still runs version {@code vsn}, with its state unchanged, because of {@code why}. */
    record Stayed(Pid server, int vsn, String why) implements Upgrade {}
}

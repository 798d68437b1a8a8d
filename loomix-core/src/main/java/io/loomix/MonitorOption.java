package io.loomix;

/**
 * Options of {@link Process#monitor(Pid, MonitorOption...)}, Erlang's {@code erlang:monitor/3}
 * (OTP 24).
 *
 * {@snippet :
 * Ref ref = monitor(server, MonitorOption.Alias.REPLY_DEMONITOR, MonitorOption.tag("server-down"));
 * send(server, new Request(ref));            // the server answers to the ref: one reply gets through
 * Object answer = receive(ref, m -> switch (m) {
 *     case Reply r when r.ref().equals(ref) -> r;      // the monitor is gone with it: no Down follows
 *     case TaggedDown d when d.ref().equals(ref) -> d;  // the server died first
 *     default -> null;
 * });
 * }
 */
public sealed interface MonitorOption {
    /** No options: a plain monitor. */
    MonitorOption[] NONE = {};

    /**
     * {@code {alias, Mode}}: the monitor's ref is also an alias of the caller (see
     * {@link Process#send(Ref, Object)}), active until:
     */
    enum Alias implements MonitorOption {
        /** {@link Process#unalias} (or the caller's exit), whatever happens to the monitor. */
        EXPLICIT_UNALIAS,
        /** the monitor ends: its Down is delivered, or it is demonitored (or unalias). */
        DEMONITOR,
        /** as {@link #DEMONITOR}, and the first message through the alias also ends the monitor. */
        REPLY_DEMONITOR
    }

    /** {@code {tag, Tag}}: the monitor's Down arrives as a {@link TaggedDown} carrying {@code tag}. */
    record Tag(Object tag) implements MonitorOption {
        public Tag {
            if (tag == null) {
                throw new IllegalArgumentException("badarg: monitor tag must not be null");
            }
        }
    }

    /** {@code {tag, Tag}}. */
    static MonitorOption tag(Object tag) {
        return new Tag(tag);
    }
}

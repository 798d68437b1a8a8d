package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;

/**
 * The control messages of the distribution protocol (erl_dist_protocol.md, "Protocol between
 * connected nodes") this layer sends or handles, as records; {@link #parse} reads the control tuple
 * of an incoming message, {@link #toTuple} makes the one to send.
 */
sealed interface Control {
    Atom EMPTY = Atom.of("");

    int LINK = 1;
    int SEND = 2;
    int EXIT = 3;
    int REG_SEND = 6;
    int GROUP_LEADER = 7;
    int EXIT2 = 8;
    int MONITOR_P = 19;
    int DEMONITOR_P = 20;
    int MONITOR_P_EXIT = 21;
    int SEND_SENDER = 22;
    int SPAWN_REQUEST = 29;
    int SPAWN_REQUEST_TT = 30;
    int SPAWN_REPLY = 31;
    int SPAWN_REPLY_TT = 32;
    int ALIAS_SEND = 33;
    int UNLINK_ID = 35;
    int UNLINK_ID_ACK = 36;

    /** Whether a message term follows the control term. */
    default boolean hasMessage() {
        return false;
    }

    /** {@code {2, '', To}} + message. */
    record Send(Pid to) implements Control {
        public boolean hasMessage() {
            return true;
        }
    }

    /** {@code {22, From, To}} + message (SEND with the sender, DFLAG_SEND_SENDER). */
    record SendSender(Pid from, Pid to) implements Control {
        public boolean hasMessage() {
            return true;
        }
    }

    /** {@code {6, From, '', Name}} + message: a send to a registered name. */
    record RegSend(Pid from, Atom name) implements Control {
        public boolean hasMessage() {
            return true;
        }
    }

    /** {@code {33, From, Alias}} + message. */
    record AliasSend(Pid from, Ref alias) implements Control {
        public boolean hasMessage() {
            return true;
        }
    }

    /** {@code {19, From, ToProc, Ref}}: ToProc is a pid or a registered name (an atom). */
    record MonitorP(Pid from, Object target, Ref ref) implements Control {}

    /** {@code {20, From, ToProc, Ref}}. */
    record DemonitorP(Pid from, Object target, Ref ref) implements Control {}

    /** {@code {21, FromProc, To, Ref, Reason}}: the monitored process (or name) is gone. */
    record MonitorPExit(Object from, Pid to, Ref ref, Object reason) implements Control {}

    /** {@code {1, From, To}}. */
    record Link(Pid from, Pid to) implements Control {}

    /** {@code {3, From, To, Reason}}: a linked process exited. */
    record Exit(Pid from, Pid to, Object reason) implements Control {}

    /** {@code {8, From, To, Reason}}: exit/2. */
    record Exit2(Pid from, Pid to, Object reason) implements Control {}

    /** {@code {35, Id, From, To}} and its acknowledgement {@code {36, Id, From, To}}. */
    record UnlinkId(Object id, Pid from, Pid to, boolean ack) implements Control {}

    /**
     * {@code {29, ReqId, From, GroupLeader, {Module, Function, Arity}, OptList}} + the argument list
     * (30, with a trace token at the end, is read as the same).
     */
    record SpawnRequest(Ref id, Pid from, Pid groupLeader, Atom module, Atom function, long arity, Object options)
            implements Control {
        public boolean hasMessage() {
            return true;
        }
    }

    /** {@code {31, ReqId, To, Flags, Result}}: Result is the new pid or an error atom; flags 1 link, 2 monitor. */
    record SpawnReply(Ref id, Pid to, long flags, Object result) implements Control {
        static final long LINK = 1;
        static final long MONITOR = 2;
    }

    /** A control message this node does not act on yet (group leaders, spawn requests, payload variants). */
    record Unhandled(int op, Tuple tuple) implements Control {}

    static Control parse(Object term) throws ProtocolException {
        if (!(term instanceof Tuple t) || t.size() < 2 || !(t.get(0) instanceof Number op)) {
            throw new ProtocolException("a control message must be a tuple starting with an integer, got " + term);
        }
        try {
            return switch (op.intValue()) {
                case SEND -> new Send((Pid) t.get(2));
                case SEND_SENDER -> new SendSender((Pid) t.get(1), (Pid) t.get(2));
                case REG_SEND -> new RegSend((Pid) t.get(1), (Atom) t.get(3));
                case ALIAS_SEND -> new AliasSend((Pid) t.get(1), (Ref) t.get(2));
                case MONITOR_P -> new MonitorP((Pid) t.get(1), t.get(2), (Ref) t.get(3));
                case DEMONITOR_P -> new DemonitorP((Pid) t.get(1), t.get(2), (Ref) t.get(3));
                case MONITOR_P_EXIT -> new MonitorPExit(t.get(1), (Pid) t.get(2), (Ref) t.get(3), t.get(4));
                case LINK -> new Link((Pid) t.get(1), (Pid) t.get(2));
                case EXIT -> new Exit((Pid) t.get(1), (Pid) t.get(2), t.get(3));
                case EXIT2 -> new Exit2((Pid) t.get(1), (Pid) t.get(2), t.get(3));
                case SPAWN_REQUEST, SPAWN_REQUEST_TT -> {
                    Tuple mfa = (Tuple) t.get(4);
                    yield new SpawnRequest((Ref) t.get(1), (Pid) t.get(2), (Pid) t.get(3), (Atom) mfa.get(0),
                            (Atom) mfa.get(1), ((Number) mfa.get(2)).longValue(), t.get(5));
                }
                case SPAWN_REPLY, SPAWN_REPLY_TT -> new SpawnReply((Ref) t.get(1), (Pid) t.get(2),
                        ((Number) t.get(3)).longValue(), t.get(4));
                case UNLINK_ID, UNLINK_ID_ACK -> new UnlinkId(t.get(1), (Pid) t.get(2), (Pid) t.get(3),
                        op.intValue() == UNLINK_ID_ACK);
                default -> new Unhandled(op.intValue(), t);
            };
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new ProtocolException("a malformed control message " + term + ": " + e.getMessage());
        }
    }

    static Tuple toTuple(Control c) {
        return switch (c) {
            case Send s -> Tuple.of(SEND, EMPTY, s.to());
            case SendSender s -> Tuple.of(SEND_SENDER, s.from(), s.to());
            case RegSend s -> Tuple.of(REG_SEND, s.from(), EMPTY, s.name());
            case AliasSend s -> Tuple.of(ALIAS_SEND, s.from(), s.alias());
            case MonitorP m -> Tuple.of(MONITOR_P, m.from(), m.target(), m.ref());
            case DemonitorP m -> Tuple.of(DEMONITOR_P, m.from(), m.target(), m.ref());
            case MonitorPExit m -> Tuple.of(MONITOR_P_EXIT, m.from(), m.to(), m.ref(), m.reason());
            case Link l -> Tuple.of(LINK, l.from(), l.to());
            case Exit e -> Tuple.of(EXIT, e.from(), e.to(), e.reason());
            case Exit2 e -> Tuple.of(EXIT2, e.from(), e.to(), e.reason());
            case UnlinkId u -> Tuple.of(u.ack() ? UNLINK_ID_ACK : UNLINK_ID, u.id(), u.from(), u.to());
            case SpawnRequest r -> Tuple.of(SPAWN_REQUEST, r.id(), r.from(), r.groupLeader(),
                    Tuple.of(r.module(), r.function(), r.arity()), r.options());
            case SpawnReply r -> Tuple.of(SPAWN_REPLY, r.id(), r.to(), r.flags(), r.result());
            case Unhandled u -> u.tuple();
        };
    }
}

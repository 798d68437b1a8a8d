package io.loomix.otp;

import io.loomix.Pid;
import io.loomix.Ref;

/**
 * The gen messages (call, cast, reply) taken apart and put together, for distribution: it writes
 * them in OTP's own shapes ({@code {'$gen_call', {Pid, [alias|Tag]}, Request}},
 * {@code {'$gen_cast', Request}}, {@code {[alias|Tag], Reply}}) and turns those shapes from another
 * node back into the messages a {@link GenServer} and a waiting caller understand. Application
 * code has no use for it: send with {@link GenServer#call} and {@link GenServer#cast}.
 */
public final class GenWire {
    private GenWire() {}

    /** A gen message in parts. */
    public sealed interface Parts {}

    /** A call from {@code from}; {@code tag} is the caller's alias, to which the reply goes. */
    public record Call(Pid from, Ref tag, Object request) implements Parts {}

    public record Cast(Object request) implements Parts {}

    /** The answer to the call tagged {@code tag}. */
    public record Reply(Ref tag, Object value) implements Parts {}

    /** The parts of a gen message, or null when {@code message} is none. */
    public static Parts parts(Object message) {
        return switch (message) {
            case Gen.Call c -> new Call(c.from().pid(), c.from().tag(), c.request());
            case Gen.Cast c -> new Cast(c.request());
            case Gen.Reply r -> new Reply(r.tag(), r.value());
            default -> null;
        };
    }

    /** The message a server gets for {@code parts}. */
    public static Object message(Parts parts) {
        return switch (parts) {
            case Call c -> new Gen.Call(new From(c.from(), c.tag()), c.request());
            case Cast c -> new Gen.Cast(c.request());
            case Reply r -> new Gen.Reply(r.tag(), r.value());
        };
    }
}

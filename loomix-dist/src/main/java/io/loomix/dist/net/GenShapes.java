package io.loomix.dist.net;

import io.loomix.Atom;
import io.loomix.Pid;
import io.loomix.Ref;
import io.loomix.Tuple;
import io.loomix.dist.term.ImproperList;
import io.loomix.otp.GenWire;

import java.util.List;

/**
 * GenServer's messages on the wire, in the shapes OTP 24+ sends, so calls and casts work between
 * a Loomix GenServer and an Erlang or Elixir one in both directions:
 * {@code {'$gen_call', {Pid, [alias|Tag]}, Request}}, {@code {'$gen_cast', Request}}, and the reply
 * {@code {[alias|Tag], Reply}} sent to the alias {@code Tag}.
 *
 * <p>Only top-level messages are rewritten. A call whose tag is a bare reference (OTP before 24,
 * or hand-made as {@code net_adm:ping} does) stays a tuple: its reply goes to the pid, not to an
 * alias, and a Loomix GenServer does not answer it.
 */
final class GenShapes {
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom GEN_CAST = Atom.of("$gen_cast");
    private static final Atom ALIAS = Atom.of("alias");

    private GenShapes() {}

    /** The term to send for {@code message}. */
    static Object out(Object message) {
        if (message == null) {
            return null;
        }
        return switch (GenWire.parts(message)) {
            case null -> message;
            case GenWire.Call c -> Tuple.of(GEN_CALL, Tuple.of(c.from(), aliasTag(c.tag())), c.request());
            case GenWire.Cast c -> Tuple.of(GEN_CAST, c.request());
            case GenWire.Reply r -> Tuple.of(aliasTag(r.tag()), r.value());
        };
    }

    /** The message a local process gets for the term {@code message} that came from another node. */
    static Object in(Object message) {
        if (!(message instanceof Tuple t)) {
            return message;
        }
        if (t.size() == 3 && t.get(0) == GEN_CALL && t.get(1) instanceof Tuple from && from.size() == 2
                && from.get(0) instanceof Pid pid && aliasOf(from.get(1)) instanceof Ref tag) {
            return GenWire.message(new GenWire.Call(pid, tag, t.get(2)));
        }
        if (t.size() == 2 && t.get(0) == GEN_CAST) {
            return GenWire.message(new GenWire.Cast(t.get(1)));
        }
        if (t.size() == 2 && aliasOf(t.get(0)) instanceof Ref tag) {
            return GenWire.message(new GenWire.Reply(tag, t.get(1)));
        }
        return message;
    }

    private static ImproperList aliasTag(Ref tag) {
        return new ImproperList(List.of(ALIAS), tag);
    }

    /** The ref of {@code [alias|Ref]}, else null. */
    private static Ref aliasOf(Object tag) {
        return tag instanceof ImproperList l && l.elements().size() == 1 && l.elements().getFirst() == ALIAS
                && l.tail() instanceof Ref r ? r : null;
    }
}

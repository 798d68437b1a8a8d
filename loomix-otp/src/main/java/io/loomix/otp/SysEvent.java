package io.loomix.otp;

/**
 * One event a behaviour process records for its debug options (OTP's {@code sys} debug events):
 * a message in, a reply out, a new state. {@link Sys#getLog} returns them; a function installed
 * with {@link Sys#install} sees each one. The states are the process's own state objects.
 */
public sealed interface SysEvent {
    /** {@code {in, {'$gen_call', From, Request}}}: a call arrived. */
    record Call(Object request, From from) implements SysEvent {
        @Override
        public String toString() {
            return "{in,{'$gen_call'," + from + "," + request + "}}";
        }
    }

    /** {@code {in, {'$gen_cast', Request}}}: a cast arrived. */
    record Cast(Object request) implements SysEvent {
        @Override
        public String toString() {
            return "{in,{'$gen_cast'," + request + "}}";
        }
    }

    /** {@code {in, Message}}: any other message arrived (a timeout is the atom {@code timeout}). */
    record Info(Object message) implements SysEvent {
        @Override
        public String toString() {
            return "{in," + message + "}";
        }
    }

    /** {@code {out, Reply, To, State}}: a call was answered. */
    record Out(Object reply, From to, Object state) implements SysEvent {
        @Override
        public String toString() {
            return "{out," + reply + "," + to + "," + state + "}";
        }
    }

    /** {@code {noreply, State}}: a callback returned without replying. */
    record NoReply(Object state) implements SysEvent {
        @Override
        public String toString() {
            return "{noreply," + state + "}";
        }
    }

    /** Whether this event counts as a message in for {@link Sys.Statistics}. */
    default boolean isIn() {
        return this instanceof Call || this instanceof Cast || this instanceof Info;
    }
}

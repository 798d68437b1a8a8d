package io.loomix.dist.rpc;

import io.loomix.Atom;
import io.loomix.Binary;
import io.loomix.Pid;
import io.loomix.Process;
import io.loomix.Tuple;
import io.loomix.dist.Rpc;
import io.loomix.dist.term.Charlist;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The output side of an Erlang I/O server, as the group leader a Loomix node names in its spawn
 * requests: a process spawned from here on an erl node writes with {@code io:format},
 * {@code io:put_chars}, {@code io:nl} and so on, and its requests
 * ({@code {io_request, From, ReplyAs, Request}}) come here. Output goes to {@code System.out}
 * (looked up at each write, so the shell's above-the-prompt stream is used when a shell runs);
 * the reply is {@code {io_reply, ReplyAs, Reply}}, as OTP's {@code user} gives it:
 *
 * <ul>
 * <li>{@code {put_chars, unicode | latin1, Chars}} and the pre-unicode {@code {put_chars, Chars}}
 *     (latin1): {@code ok}, or {@code {error, put_chars}} for data that is not chardata of that
 *     encoding.
 * <li>{@code {put_chars, Enc, M, F, A}} (what {@code io:format} sends: {@code io_lib:format} with
 *     the format and arguments): a BEAM I/O server applies {@code M:F(A)} itself. This node has no
 *     {@code io_lib}, so the function runs through rpc on the requester's own node, which does
 *     (output exactly as erl formats it), then the characters are written here; an error there is
 *     {@code {error, put_chars}}, as {@code user} answers a failed apply. Such a request is served
 *     in a process of its own, so a slow round trip holds up no other writer.
 * <li>{@code {requests, [R...]}}: each in turn, up to the first error; the last reply.
 * <li>{@code getopts}: {@code [{binary, B}, {encoding, E}]} (initially {@code false}, {@code unicode});
 *     {@code setopts}: {@code binary}/{@code list}/{@code {binary, B}} and {@code {encoding, E}}
 *     (or {@code unicode}/{@code latin1}) are kept and answered {@code ok}, any other option
 *     {@code {error, enotsup}} ({@code user}'s rules).
 * <li>Input ({@code get_line}, {@code get_chars}, {@code get_until}, with or without an encoding):
 *     {@code eof}, as {@code user} at the end of its input: this node's console is not given to
 *     remote processes. {@code get_password} and {@code {get_geometry, _}}: {@code {error, enotsup}}.
 *     Anything else: {@code {error, request}}.
 * </ul>
 */
public final class IoServer {
    private static final Atom IO_REQUEST = Atom.of("io_request");
    private static final Atom IO_REPLY = Atom.of("io_reply");
    private static final Atom PUT_CHARS = Atom.of("put_chars");
    private static final Atom REQUESTS = Atom.of("requests");
    private static final Atom UNICODE = Atom.of("unicode");
    private static final Atom LATIN1 = Atom.of("latin1");
    private static final Atom UTF8 = Atom.of("utf8");
    private static final Atom BINARY = Atom.of("binary");
    private static final Atom LIST = Atom.of("list");
    private static final Atom ENCODING = Atom.of("encoding");
    private static final Atom OK = Atom.of("ok");
    private static final Atom ERROR = Atom.of("error");
    private static final Atom EOF = Atom.of("eof");
    private static final Tuple ENOTSUP = Tuple.of(ERROR, Atom.of("enotsup"));
    private static final Tuple PUT_CHARS_ERROR = Tuple.of(ERROR, PUT_CHARS);
    private static final Tuple REQUEST_ERROR = Tuple.of(ERROR, Atom.of("request"));
    /** How long a format may take on the requester's node before the writer gets {error, put_chars}. */
    private static final Duration APPLY_LIMIT = Duration.ofSeconds(30);

    /** Options a process may set, shared by every writer, as {@code user}'s are. */
    private volatile boolean binary;
    private volatile Atom encoding = UNICODE;

    /** Serves one message sent to the group leader process; anything not an io request is ignored. */
    public void handle(Object m) {
        if (!(m instanceof Tuple t && t.size() == 4 && t.get(0) == IO_REQUEST && t.get(1) instanceof Pid from)) {
            return;
        }
        Object request = t.get(3);
        if (applies(request)) {
            Process.spawn(() -> reply(from, t.get(2), request(request, from)));
        } else {
            reply(from, t.get(2), request(request, from));
        }
    }

    private static void reply(Pid to, Object replyAs, Object reply) {
        Process.send(to, Tuple.of(IO_REPLY, replyAs, reply));
    }

    /** Whether serving {@code request} applies a function (an rpc round trip). */
    private static boolean applies(Object request) {
        if (request instanceof Tuple r && r.size() == 2 && r.get(0) == REQUESTS && r.get(1) instanceof List<?> all) {
            return all.stream().anyMatch(IoServer::applies);
        }
        return request instanceof Tuple r && r.get(0) == PUT_CHARS && (r.size() == 4 || r.size() == 5);
    }

    private Object request(Object request, Pid from) {
        if (request == Atom.of("getopts")) {
            return List.of(Tuple.of(BINARY, binary), Tuple.of(ENCODING, encoding));
        }
        if (!(request instanceof Tuple r) || r.size() == 0) {
            return REQUEST_ERROR;
        }
        Object op = r.get(0);
        return switch (op instanceof Atom a ? a.name() : "") {
            case "put_chars" -> putChars(r, from);
            case "requests" -> r.size() == 2 && r.get(1) instanceof List<?> all ? requests(all, from) : REQUEST_ERROR;
            case "setopts" -> r.size() == 2 && r.get(1) instanceof List<?> opts ? setopts(opts) : REQUEST_ERROR;
            case "get_line", "get_chars", "get_until" -> EOF;
            case "get_password", "get_geometry" -> ENOTSUP;
            default -> REQUEST_ERROR;
        };
    }

    private Object requests(List<?> all, Pid from) {
        Object last = OK;
        for (Object one : all) {
            last = request(one, from);
            if (last instanceof Tuple e && e.size() == 2 && e.get(0) == ERROR) {
                break;
            }
        }
        return last;
    }

    private static Object putChars(Tuple r, Pid from) {
        boolean encoded = r.get(1) == UNICODE || r.get(1) == LATIN1;
        Atom enc = encoded ? (Atom) r.get(1) : LATIN1;
        int rest = encoded ? 2 : 1;
        Object data;
        if (r.size() == rest + 1) {
            data = r.get(rest);
        } else if (r.size() == rest + 3 && r.get(rest) instanceof Atom m && r.get(rest + 1) instanceof Atom f
                && r.get(rest + 2) instanceof List<?> a) {
            data = Rpc.call(from.node(), m, f, List.copyOf(a), APPLY_LIMIT);
        } else {
            return REQUEST_ERROR;
        }
        String text = text(data, enc);
        if (text == null) {
            return PUT_CHARS_ERROR;
        }
        write(text);
        return OK;
    }

    private static void write(String text) {
        var out = System.out;
        out.print(text);
        out.flush();
    }

    private Object setopts(List<?> opts) {
        Boolean newBinary = null;
        Atom newEncoding = null;
        for (Object o : opts) {
            if (o == BINARY || o == LIST) {
                newBinary = o == BINARY;
            } else if (o == UNICODE || o == LATIN1 || o == UTF8) {
                newEncoding = o == LATIN1 ? LATIN1 : UNICODE;
            } else if (o instanceof Tuple t && t.size() == 2 && (t.get(0) == BINARY || t.get(0) == LIST)
                    && t.get(1) instanceof Boolean b) {
                newBinary = (t.get(0) == BINARY) == b;
            } else if (o instanceof Tuple t && t.size() == 2 && t.get(0) == ENCODING
                    && (t.get(1) == UNICODE || t.get(1) == LATIN1 || t.get(1) == UTF8)) {
                newEncoding = t.get(1) == LATIN1 ? LATIN1 : UNICODE;
            } else {
                return ENOTSUP;
            }
        }
        if (newBinary != null) {
            binary = newBinary;
        }
        if (newEncoding != null) {
            encoding = newEncoding;
        }
        return OK;
    }

    /**
     * The characters of {@code data} in encoding {@code enc}, null when it is not such data: for
     * unicode, code points and UTF-8 binaries; for latin1, bytes (0-255) and binaries read byte by
     * byte; both nested in lists (deep chardata, iolists).
     */
    static String text(Object data, Atom enc) {
        StringBuilder out = new StringBuilder();
        return collect(data, enc == UNICODE, out, 0) ? out.toString() : null;
    }

    private static boolean collect(Object data, boolean unicode, StringBuilder out, int depth) {
        switch (data) {
            case Binary b when unicode -> {
                try {
                    out.append(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b.toByteArray())));
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
            case Binary b -> {
                for (int i = 0; i < b.size(); i++) {
                    out.append((char) b.byteAt(i));
                }
            }
            case String str when unicode -> out.append(str); // a binary that is valid UTF-8 arrives as a String
            case String str -> {
                for (byte x : str.getBytes(StandardCharsets.UTF_8)) {
                    out.append((char) (x & 0xff));
                }
            }
            case Charlist c -> {
                if (!unicode && c.text().chars().anyMatch(ch -> ch > 255)) {
                    return false;
                }
                out.append(c.text());
            }
            case Long cp -> {
                long max = unicode ? Character.MAX_CODE_POINT : 255;
                if (cp < 0 || cp > max || cp >= 0xD800 && cp <= 0xDFFF) {
                    return false;
                }
                out.appendCodePoint((int) (long) cp);
            }
            case List<?> l -> {
                if (depth > 10_000) {
                    return false; // deeper than any real chardata; keeps a hostile term from overflowing the stack
                }
                for (Object o : l) {
                    if (!collect(o, unicode, out, depth + 1)) {
                        return false;
                    }
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}

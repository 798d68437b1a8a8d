package io.loomix.dist.term;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * One {@code erl -noshell} process that answers line by line on stdin/stdout:
 * {@code E Index Expr} evaluates an Erlang expression, keeps it under Index and answers with
 * {@code term_to_binary} of it, plain and compressed, in hex; {@code C Index Hex} answers whether
 * {@code binary_to_term(Hex) =:= } the kept value; {@code R Hex} answers {@code term_to_binary(binary_to_term(Hex))}.
 */
final class ErlPeer implements AutoCloseable {
    private static final String PROGRAM = """
            io:setopts(standard_io, [{encoding, unicode}, binary]),
            Hex = fun(B) -> binary:encode_hex(B) end,
            T2b = fun(V) -> term_to_binary(V, [{minor_version, 2}]) end,
            Handle = fun
                (<<"E ", Rest/binary>>) ->
                    [I, Src] = binary:split(Rest, <<" ">>),
                    {ok, Toks, _} = erl_scan:string(unicode:characters_to_list(Src)),
                    {ok, Exprs} = erl_parse:parse_exprs(Toks),
                    {value, V, _} = erl_eval:exprs(Exprs, []),
                    put(binary_to_integer(I), V),
                    [Hex(T2b(V)), " ", Hex(term_to_binary(V, [compressed, {minor_version, 2}]))];
                (<<"C ", Rest/binary>>) ->
                    [I, H] = binary:split(Rest, <<" ">>),
                    atom_to_binary(binary_to_term(binary:decode_hex(H)) =:= get(binary_to_integer(I)));
                (<<"R ", H/binary>>) ->
                    Hex(T2b(binary_to_term(binary:decode_hex(H))))
            end,
            Loop = fun Loop() ->
                case io:get_line(standard_io, "") of
                    eof -> halt(0);
                    Line ->
                        Reply = try Handle(string:trim(Line, trailing, "\\n"))
                                catch C:R -> io_lib:format("ERR ~0p:~0p", [C, R]) end,
                        io:put_chars(standard_io, [Reply, $\\n]),
                        Loop()
                end
            end,
            Loop().
            """;

    private final Process erl;
    private final BufferedWriter in;
    private final BufferedReader out;

    private ErlPeer(Process erl) {
        this.erl = erl;
        this.in = new BufferedWriter(new OutputStreamWriter(erl.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(erl.getInputStream(), StandardCharsets.UTF_8));
    }

    /** {@code true} when {@code erl} runs on this machine. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("erl", "-noshell", "-eval", "halt(0).").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static ErlPeer start() throws IOException {
        return new ErlPeer(new ProcessBuilder("erl", "-noshell", "-eval", PROGRAM)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** The erl value of {@code expression}, kept as {@code index}: term_to_binary of it, plain and compressed. */
    byte[][] eval(int index, String expression) throws IOException {
        String[] parts = ask("E " + index + " " + expression + ".").split(" ");
        return new byte[][] {hex(parts[0]), hex(parts[1])};
    }

    /** Whether erl reads {@code bytes} as exactly the value kept as {@code index}. */
    boolean sameAs(int index, byte[] bytes) throws IOException {
        String reply = ask("C " + index + " " + HexFormat.of().formatHex(bytes));
        if (!reply.equals("true") && !reply.equals("false")) {
            throw new AssertionError("erl could not read Java's bytes: " + reply);
        }
        return reply.equals("true");
    }

    /** term_to_binary(binary_to_term(bytes)) in erl. */
    byte[] echo(byte[] bytes) throws IOException {
        return hex(ask("R " + HexFormat.of().formatHex(bytes)));
    }

    private String ask(String request) throws IOException {
        in.write(request);
        in.write('\n');
        in.flush();
        String reply = out.readLine();
        if (reply == null) {
            throw new IOException("erl exited");
        }
        if (reply.startsWith("ERR ")) {
            throw new AssertionError("erl failed on '" + request.substring(0, Math.min(request.length(), 200))
                    + "': " + reply);
        }
        return reply;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Override
    public void close() throws IOException {
        in.close();
        try {
            if (!erl.waitFor(10, TimeUnit.SECONDS)) {
                erl.destroyForcibly();
            }
        } catch (InterruptedException e) {
            erl.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

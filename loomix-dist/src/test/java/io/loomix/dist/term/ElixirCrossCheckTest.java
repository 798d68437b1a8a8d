package io.loomix.dist.term;

import io.loomix.Atom;
import io.loomix.Tuple;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Elixir's own structs, strings, charlists and keyword lists against the codec: one {@code elixir}
 * run reads Java's struct and writes its own terms back. Skipped, saying why, without Elixir.
 */
class ElixirCrossCheckTest {
    record User(String name, int age) {}

    static final TermRegistry TYPES = TermRegistry.builder().struct(User.class, "MyApp.User").build();

    private static final String SCRIPT = """
            defmodule MyApp.User do
              defstruct [:name, :age]
            end
            [hex] = System.argv()
            got = :erlang.binary_to_term(Base.decode16!(hex))
            IO.puts(inspect(got == struct(MyApp.User, name: "ann", age: 7)))
            IO.puts(Base.encode16(:erlang.term_to_binary(struct(MyApp.User, name: "bo", age: 9))))
            kw = [name: "kw", chars: 'chars', map: %{"k" => :v}, tuple: {1, 2.5}, neg: -3, big: Bitwise.bsl(1, 70)]
            IO.puts(Base.encode16(:erlang.term_to_binary(kw)))
            """;

    @Test
    void elixirStructsAndStringsMeetJavaRecordsAndStrings() throws IOException, InterruptedException {
        Process elixir;
        try {
            String javaStruct = HexFormat.of().withUpperCase().formatHex(Terms.encode(new User("ann", 7), TYPES));
            elixir = new ProcessBuilder("elixir", "-e", SCRIPT, javaStruct)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            Assumptions.abort("elixir is not on the PATH (apt-get install elixir) to cross-check structs: " + e.getMessage());
            return;
        }
        String[] lines = new String(elixir.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
        assertTrue(elixir.waitFor(60, TimeUnit.SECONDS), "elixir finished");
        assertEquals(3, lines.length, () -> "elixir printed: " + String.join(" | ", lines));
        assertEquals("true", lines[0], "Elixir reads Java's record as %MyApp.User{name: \"ann\", age: 7}");
        assertEquals(new User("bo", 9), Terms.decode(HexFormat.of().parseHex(lines[1]), TYPES, DecodeLimits.DEFAULT));
        Object kw = Terms.decode(HexFormat.of().parseHex(lines[2]));
        assertEquals(List.of(
                Tuple.of(Atom.of("name"), "kw"),
                Tuple.of(Atom.of("chars"), List.of(99L, 104L, 97L, 114L, 115L)),
                Tuple.of(Atom.of("map"), Map.of("k", Atom.of("v"))),
                Tuple.of(Atom.of("tuple"), Tuple.of(1L, 2.5)),
                Tuple.of(Atom.of("neg"), -3L),
                Tuple.of(Atom.of("big"), BigInteger.ONE.shiftLeft(70))), kw);
    }
}

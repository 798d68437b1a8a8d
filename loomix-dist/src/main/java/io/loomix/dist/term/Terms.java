package io.loomix.dist.term;

/**
 * {@code term_to_binary} and {@code binary_to_term} for Java values, with the built-in mapping or
 * a {@link TermRegistry}. For a connection's hot path keep a {@link TermEncoder} and a
 * {@link TermDecoder} instead: they reuse their buffers.
 *
 * {@snippet :
 * byte[] bytes = Terms.encode(Tuple.of(Atom.of("ok"), "hello"));  // <<131,104,2,119,2,"ok",109,...>>
 * Object back = Terms.decode(bytes);                              // {ok, "hello"}
 * }
 */
public final class Terms {
    private Terms() {}

    /**
     * A decoded term as a value of {@code type}, with the conversions a registered record's
     * components get (an integer to {@code int} when it fits, a UTF-8 binary to {@code String},
     * an atom to an enum constant, ...); empty when it does not fit.
     */
    public static java.util.Optional<Object> as(Object term, Class<?> type, java.lang.reflect.Type generic) {
        Object v = Conversions.convert(term, type, generic);
        return v == Conversions.NO_FIT || v == null ? java.util.Optional.empty() : java.util.Optional.of(v);
    }

    /** {@code term_to_binary(Term)}. */
    public static byte[] encode(Object term) {
        return encode(term, TermRegistry.DEFAULT);
    }

    public static byte[] encode(Object term, TermRegistry registry) {
        return new TermEncoder(registry).writeVersioned(term).toByteArray();
    }

    /** {@code term_to_binary(Term, [{compressed, Level}])}. */
    public static byte[] encodeCompressed(Object term, int level) {
        return new TermEncoder().writeCompressed(term, level).toByteArray();
    }

    /**
     * {@code binary_to_term(Bytes)}: the term at the start of {@code bytes}; like Erlang's, bytes
     * after it are ignored (a {@link TermDecoder} tells how many were used).
     *
     * @throws DecodeException if the bytes do not start with a term
     */
    public static Object decode(byte[] bytes) {
        return decode(bytes, TermRegistry.DEFAULT, DecodeLimits.DEFAULT);
    }

    public static Object decode(byte[] bytes, TermRegistry registry, DecodeLimits limits) {
        return new TermDecoder(registry, limits).reset(bytes, 0, bytes.length).readVersioned();
    }
}

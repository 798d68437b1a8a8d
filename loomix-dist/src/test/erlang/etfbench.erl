%% term_to_binary/binary_to_term of the issue's benchmark message, for orientation beside CodecBench:
%% erlc -o /tmp loomix-dist/src/test/erlang/etfbench.erl && erl -noshell -pa /tmp -eval 'etfbench:run()' -s init stop
-module(etfbench).
-export([run/0]).
loop(0, _) -> ok;
loop(K, M) -> B = term_to_binary(M), put(x, B), loop(K - 1, M).
dloop(0, _) -> ok;
dloop(K, B) -> T = binary_to_term(B), put(x, T), dloop(K - 1, B).
run() ->
    M = {msg, 42, list_to_binary([(I * 37 + 200) band 255 || I <- lists:seq(0, 28)])},
    B = term_to_binary(M),
    N = 2000000,
    [begin
         {TE, _} = timer:tc(fun() -> loop(N, M) end),
         {TD, _} = timer:tc(fun() -> dloop(N, B) end),
         io:format("erl: ~p bytes; term_to_binary ~.1f ns/op, binary_to_term ~.1f ns/op~n",
                   [byte_size(B), TE * 1000 / N, TD * 1000 / N])
     end || _ <- [1, 2, 3, 4]],
    ok.

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
         {TE, CE} = timed(fun() -> loop(N, M) end),
         {TD, CD} = timed(fun() -> dloop(N, B) end),
         io:format("erl: ~p bytes; term_to_binary ~.1f ns/op wall ~.1f ns/op cpu,"
                   " binary_to_term ~.1f ns/op wall ~.1f ns/op cpu~n",
                   [byte_size(B), TE * 1000 / N, CE * 1000000 / N, TD * 1000 / N, CD * 1000000 / N])
     end || _ <- [1, 2, 3, 4]],
    ok.

%% Wall time in microseconds and the VM's CPU time in milliseconds (statistics(runtime)).
timed(F) ->
    {_, _} = statistics(runtime),
    {T, ok} = timer:tc(F),
    {_, Cpu} = statistics(runtime),
    {T, Cpu}.

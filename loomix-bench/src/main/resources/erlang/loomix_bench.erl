%% BEAM peer of the Loomix side-by-side benchmarks.
%%
%% Run as  erl -noshell -pa DIR -eval 'loomix_bench:main(["pingpong","1000000"]), halt().'
%% and prints one line "RESULT {json}" (the protocol BenchMain reads).
%% Every workload first runs untimed at a tenth of its size so the JIT,
%% the allocators and the schedulers are warm, then runs for real. The
%% warm-up run repeats until LOOMIX_BENCH_WARMUP_MS milliseconds have passed,
%% which the harness sets per workload for every peer alike (none: once).
%% Each run happens in a fresh process, so a previous run's heap or
%% mailbox never bleeds into the next.
%%
%% A process that is going to hold a large mailbox is set to
%% message_queue_data = off_heap, as the OTP docs advise: with the default
%% (on_heap) every garbage collection of that process scans the whole queue,
%% which makes spawn and call_backlog quadratic (spawn: ~30 us instead of
%% ~2 us per process on 2 cores; call_backlog ratio ~2-5 instead of ~1).
-module(loomix_bench).
-behaviour(gen_server).

-export([main/1, dist_sink/0, dist_echo/0, dist_nop/0]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(RING_SIZE, 503).
-define(FANIN_SENDERS, 100).
-define(BACKLOG, 100000).
-define(SPINNERS, 100).

main(["dist_" ++ _ = Workload, SizeText]) ->
    dist_main(Workload, list_to_integer(SizeText));
main([Workload, SizeText]) ->
    Size = list_to_integer(SizeText),
    Run = runner(Workload),
    warm_up(Run, Size),
    {Metric, Value, Extra} = in_fresh_process(Run, Size),
    io:format("RESULT ~s~n", [result_json(Workload, Size, Metric, Value, Extra)]).

runner("spawn") -> fun spawn_run/1;
runner("idle") -> fun idle_run/1;
runner("pingpong") -> fun pingpong_run/1;
runner("ring") -> fun ring_run/1;
runner("fanin") -> fun fanin_run/1;
runner("call_backlog") -> fun call_backlog_run/1;
runner("spinners") -> fun spinners_run/1;
runner("gencall") -> fun gencall_run/1;
runner("broadcast") -> fun(N) -> broadcast_run(N, fresh) end;
runner("broadcast_aged") -> fun(N) -> broadcast_run(N, aged) end;
runner("idle_genserver") -> fun idle_genserver_run/1;
runner(Other) -> error({unknown_workload, Other}).

%% The warm-up: a tenth of the size, once, then again until the harness's
%% warm-up time (LOOMIX_BENCH_WARMUP_MS) has passed.
warm_up(Run, Size) ->
    Millis = case os:getenv("LOOMIX_BENCH_WARMUP_MS") of
                 false -> 0;
                 "" -> 0;
                 Text -> list_to_integer(string:trim(Text))
             end,
    warm_up(Run, max(1, Size div 10), now_ns() + Millis * 1000000).

warm_up(Run, Size, End) ->
    _ = in_fresh_process(Run, Size),
    case now_ns() < End of
        true -> warm_up(Run, Size, End);
        false -> ok
    end.

in_fresh_process(Run, Size) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit({ok, Run(Size)}) end),
    receive
        {'DOWN', Ref, process, Pid, {ok, Result}} -> Result;
        {'DOWN', Ref, process, Pid, Reason} -> error({run_failed, Reason})
    end.

now_ns() -> erlang:monotonic_time(nanosecond).

%% ---- spawn: spawn, message, reply, exit -------------------------------

spawn_run(N) ->
    process_flag(message_queue_data, off_heap),
    T0 = now_ns(),
    spawn_children(N, self()),
    await(done, N),
    Elapsed = now_ns() - T0,
    {ns_per_process, Elapsed / N, [{elapsed_ms, Elapsed / 1.0e6}]}.

spawn_children(0, _Parent) -> ok;
spawn_children(N, Parent) ->
    Child = spawn(fun() -> receive go -> Parent ! done end end),
    Child ! go,
    spawn_children(N - 1, Parent).

await(_Msg, 0) -> ok;
await(Msg, N) -> receive Msg -> await(Msg, N - 1) end.

%% ---- idle: memory of a process blocked in receive ---------------------

%% The delta includes the parent's list of pids (one cons cell each), the
%% same bookkeeping the JVM peers pay for keeping their references.
idle_run(N) ->
    process_flag(message_queue_data, off_heap),
    Parent = self(),
    BaseCount = erlang:system_info(process_count),
    garbage_collect(),
    Before = erlang:memory(total),
    Pids = idle_spawn(N, Parent, []),
    await(ready, N),
    garbage_collect(),
    After = erlang:memory(total),
    lists:foreach(fun(Pid) -> Pid ! stop end, Pids),
    %% The warm-up run must be gone before the measured run takes its baseline.
    wait_process_count(BaseCount),
    {bytes_per_process, (After - Before) / N,
     [{memory_before_mb, Before / 1048576}, {memory_after_mb, After / 1048576}]}.

idle_spawn(0, _Parent, Acc) -> Acc;
idle_spawn(N, Parent, Acc) ->
    Pid = spawn(fun() -> Parent ! ready, receive stop -> ok end end),
    idle_spawn(N - 1, Parent, [Pid | Acc]).

wait_process_count(Target) ->
    case erlang:system_info(process_count) =< Target of
        true -> ok;
        false -> timer:sleep(10), wait_process_count(Target)
    end.

%% ---- pingpong ---------------------------------------------------------

pingpong_run(R) ->
    Pong = spawn(fun pong/0),
    T0 = now_ns(),
    ping(R, Pong),
    Elapsed = now_ns() - T0,
    Pong ! stop,
    {round_trips_per_s, R / (Elapsed / 1.0e9), [{elapsed_ms, Elapsed / 1.0e6}]}.

ping(0, _Pong) -> ok;
ping(N, Pong) ->
    Pong ! {ping, self()},
    receive pong -> ping(N - 1, Pong) end.

pong() ->
    receive
        {ping, From} -> From ! pong, pong();
        stop -> ok
    end.

%% ---- ring (Savina ThreadRing) -----------------------------------------

ring_run(M) ->
    Parent = self(),
    Nodes = [spawn(fun() -> ring_init(Parent) end) || _ <- lists:seq(1, ?RING_SIZE)],
    [First | Rest] = Nodes,
    lists:foreach(fun({Node, Next}) -> Node ! {next, Next} end,
                  lists:zip(Nodes, Rest ++ [First])),
    T0 = now_ns(),
    First ! M,
    receive ring_done -> ok end,
    Elapsed = now_ns() - T0,
    lists:foreach(fun(Node) -> exit(Node, kill) end, Nodes),
    {hops_per_s, M / (Elapsed / 1.0e9), [{elapsed_ms, Elapsed / 1.0e6}]}.

ring_init(Parent) ->
    receive {next, Next} -> ring_node(Next, Parent) end.

ring_node(Next, Parent) ->
    receive
        0 -> Parent ! ring_done, ring_node(Next, Parent);
        Token -> Next ! Token - 1, ring_node(Next, Parent)
    end.

%% ---- fanin (Savina Counting, many senders) ----------------------------

fanin_run(M) ->
    PerSender = M div ?FANIN_SENDERS,
    Total = PerSender * ?FANIN_SENDERS,
    Parent = self(),
    T0 = now_ns(),
    Receiver = spawn_opt(fun() -> count(Total), Parent ! fanin_done end,
                         [{message_queue_data, off_heap}]),
    [spawn(fun() -> send_n(PerSender, Receiver) end) || _ <- lists:seq(1, ?FANIN_SENDERS)],
    receive fanin_done -> ok end,
    Elapsed = now_ns() - T0,
    {messages_per_s, Total / (Elapsed / 1.0e9), [{elapsed_ms, Elapsed / 1.0e6}]}.

count(0) -> ok;
count(N) -> receive msg -> count(N - 1) end.

send_n(0, _To) -> ok;
send_n(N, To) -> To ! msg, send_n(N - 1, To).

%% ---- call_backlog: selective receive behind a full mailbox ------------

call_backlog_run(C) ->
    process_flag(message_queue_data, off_heap),
    Server = spawn(fun server/0),
    Empty = time_calls(C, Server),
    flood(?BACKLOG),
    %% One untimed call moves the flood from the signal queue into the
    %% message queue, so the timed calls see a mailbox that is already full.
    call_loop(1, Server),
    Backlog = time_calls(C, Server),
    exit(Server, kill),
    {ns_per_call_backlog, Backlog,
     [{ns_per_call_empty, Empty}, {ratio, Backlog / Empty}]}.

time_calls(C, Server) ->
    T0 = now_ns(),
    call_loop(C, Server),
    (now_ns() - T0) / C.

%% make_ref/0 and the receive on that Ref in one function body is the shape
%% the compiler turns into a receive marker (recv_marker_reserve/use), so the
%% receive skips the messages that were queued before the ref existed.
call_loop(0, _Server) -> ok;
call_loop(N, Server) ->
    Ref = make_ref(),
    Server ! {call, self(), Ref},
    receive {Ref, _Reply} -> call_loop(N - 1, Server) end.

server() ->
    receive {call, From, Ref} -> From ! {Ref, reply}, server() end.

flood(0) -> ok;
flood(N) -> self() ! {unrelated, N}, flood(N - 1).

%% ---- spinners: ping-pong latency next to CPU hogs ---------------------

%% R round trips or R milliseconds, whichever ends first (the rule of
%% io.loomix.bench.Workload.spinnersTimeLimitNanos, shared by all peers).
spinners_run(R) ->
    Spinners = [spawn(fun() -> spin(N) end) || N <- lists:seq(1, ?SPINNERS)],
    Pong = spawn(fun pong/0),
    Deadline = now_ns() + R * 1000000,
    Latencies = timed_pings(R, Pong, Deadline, []),
    lists:foreach(fun(Pid) -> exit(Pid, kill) end, [Pong | Spinners]),
    Sorted = list_to_tuple(lists:sort(Latencies)),
    Us = fun(P) -> percentile(Sorted, P) / 1000 end,
    %% Stalls: round trips over 1 ms, and their share of the run (io.loomix.bench.LatencySummary).
    Stalled = [L || L <- Latencies, L > 1000000],
    {p99_us, Us(0.99), [{p50_us, Us(0.50)}, {max_us, Us(1.0)}, {samples, tuple_size(Sorted)},
                        {longest_stall_ms, Us(1.0) / 1000}, {stalls, length(Stalled)},
                        {stall_share, lists:sum(Stalled) / max(1, lists:sum(Latencies))}]}.

%% Park-Miller step: stays a small integer (< 2^46), so the loop never
%% allocates or yields on its own and the schedulers must preempt it.
spin(X) -> spin((X * 16807) rem 2147483647).

timed_pings(0, _Pong, _Deadline, Acc) -> Acc;
timed_pings(N, Pong, Deadline, Acc) ->
    T0 = now_ns(),
    Pong ! {ping, self()},
    receive pong -> ok end,
    T1 = now_ns(),
    case T1 >= Deadline of
        true -> [T1 - T0 | Acc];
        false -> timed_pings(N - 1, Pong, Deadline, [T1 - T0 | Acc])
    end.

%% Nearest-rank percentile, the same definition io.loomix.bench.Percentiles uses.
percentile(Sorted, P) ->
    Count = tuple_size(Sorted),
    element(max(1, min(Count, ceil(P * Count))), Sorted).

%% ---- gencall: gen_server:call round trips -----------------------------

gencall_run(R) ->
    {ok, Server} = gen_server:start(?MODULE, [], []),
    T0 = now_ns(),
    gencall_loop(R, Server),
    Elapsed = now_ns() - T0,
    gen_server:stop(Server),
    {calls_per_s, R / (Elapsed / 1.0e9), [{elapsed_ms, Elapsed / 1.0e6}]}.

gencall_loop(0, _Server) -> ok;
gencall_loop(N, Server) ->
    pong = gen_server:call(Server, ping),
    gencall_loop(N - 1, Server).

init([]) -> {ok, no_state};
init([hibernate]) -> {ok, no_state, hibernate}.
handle_call(ping, _From, State) -> {reply, pong, State}.
handle_cast(_Msg, State) -> {noreply, State}.

%% ---- broadcast: N parked processes, one message each, one reply each ---
%% aged (broadcast_aged): every child is garbage collected once before the
%% send, as the JVM peers run a full collection there.

broadcast_run(N, Age) ->
    process_flag(message_queue_data, off_heap),
    Parent = self(),
    Pids = [spawn(fun() -> Parent ! ready, receive go -> Parent ! done end end)
            || _ <- lists:seq(1, N)],
    await(ready, N),
    case Age of
        aged -> lists:foreach(fun erlang:garbage_collect/1, Pids);
        fresh -> ok
    end,
    T0 = now_ns(),
    lists:foreach(fun(Pid) -> Pid ! go end, Pids),
    T1 = now_ns(),
    await(done, N),
    T2 = now_ns(),
    SendMs = (T1 - T0) / 1.0e6,
    CollectMs = (T2 - T1) / 1.0e6,
    {ms_after_spawn, SendMs + CollectMs,
     [{send_ms, SendMs}, {collect_ms, CollectMs}, {collect_us_per_process, (T2 - T1) / N / 1000}]}.

%% ---- idle_genserver: memory of an idle gen_server -----------------------

idle_genserver_run(N) ->
    process_flag(message_queue_data, off_heap),
    BaseCount = erlang:system_info(process_count),
    garbage_collect(),
    Before = erlang:memory(total),
    Pids = [begin {ok, Pid} = gen_server:start(?MODULE, [hibernate], []), Pid end || _ <- lists:seq(1, N)],
    garbage_collect(),
    After = erlang:memory(total),
    lists:foreach(fun(Pid) -> exit(Pid, kill) end, Pids),
    wait_process_count(BaseCount),
    {bytes_per_server, (After - Before) / N,
     [{memory_before_mb, Before / 1048576}, {memory_after_mb, After / 1048576}]}.

%% ---- RESULT line ------------------------------------------------------

result_json(Workload, Size, Metric, Value, Extra) ->
    ExtraJson = lists:join(",", [[$", atom_to_list(K), "\":", number(V)] || {K, V} <- Extra]),
    io_lib:format("{\"peer\":\"beam\",\"workload\":\"~s\",\"size\":~b,\"metric\":\"~s\","
                  "\"value\":~s,\"extra\":{~s}}",
                  [Workload, Size, Metric, number(Value), ExtraJson]).

number(V) when is_integer(V) -> integer_to_list(V);
number(V) when is_float(V) -> float_to_list(V, [{decimals, 3}, compact]).

%% ---- dist_oneway, dist_rtt: two erl nodes over loopback ---------------
%% This node (bench_a, started with -sname and a private ERL_EPMD_PORT by the
%% harness) starts bench_b with peer, which runs a registered sink and echo.
%% The epmd that erl started for the private port is killed at the end.

dist_main(Workload, Size) ->
    Dir = filename:dirname(code:which(?MODULE)),
    {ok, Peer, Node} = peer:start_link(#{name => bench_b,
        args => ["-setcookie", atom_to_list(erlang:get_cookie()), "-pa", Dir]}),
    pong = net_adm:ping(Node),
    _ = erpc:call(Node, erlang, register, [sink, erpc:call(Node, erlang, spawn, [?MODULE, dist_sink, []])]),
    _ = erpc:call(Node, erlang, register, [echo, erpc:call(Node, erlang, spawn, [?MODULE, dist_echo, []])]),
    Run = case Workload of
              "dist_oneway" -> fun(N) -> dist_oneway_run(Node, N) end;
              "dist_rtt" -> fun(N) -> dist_rtt_run(Node, N) end;
              "dist_call" ->
                  {ok, _} = erpc:call(Node, gen_server, start, [{local, bench_server}, ?MODULE, [], []]),
                  fun(N) -> dist_call_run(Node, N) end;
              "dist_spawn" -> fun(N) -> dist_spawn_run(Node, N) end
          end,
    warm_up(Run, Size),
    {Metric, Value, Extra} = in_fresh_process(Run, Size),
    peer:stop(Peer),
    io:format("RESULT ~s~n", [result_json(Workload, Size, Metric, Value, Extra)]),
    case os:getenv("ERL_EPMD_PORT") of
        false -> ok;
        Port -> net_kernel:stop(), os:cmd("epmd -port " ++ Port ++ " -kill")
    end.

dist_oneway_run(Node, N) ->
    Sink = {sink, Node},
    Bin = list_to_binary(lists:seq(128, 156)),
    T0 = now_ns(),
    Sink ! {start, self(), N},
    dist_send(Sink, Bin, 0, N),
    receive done -> ok end,
    Elapsed = now_ns() - T0,
    {messages_per_s, N / (Elapsed / 1.0e9), []}.

dist_send(_Sink, _Bin, N, N) -> ok;
dist_send(Sink, Bin, I, N) ->
    Sink ! {msg, I, Bin},
    dist_send(Sink, Bin, I + 1, N).

dist_sink() ->
    receive {start, From, N} -> dist_drain(N), From ! done end,
    dist_sink().

dist_drain(0) -> ok;
dist_drain(N) -> receive _ -> dist_drain(N - 1) end.

dist_echo() ->
    receive {From, _} = M -> From ! M end,
    dist_echo().

%% dist_call, dist_spawn: ?DIST_CLIENTS processes at once, each doing its
%% share one after another (a call or spawn/4 waits for its answer).
-define(DIST_CLIENTS, 16).

dist_clients(Fun, N) ->
    Self = self(),
    Per = max(1, N div ?DIST_CLIENTS),
    T0 = now_ns(),
    _ = [spawn_link(fun() -> Fun(Per), Self ! client_done end) || _ <- lists:seq(1, ?DIST_CLIENTS)],
    _ = [receive client_done -> ok end || _ <- lists:seq(1, ?DIST_CLIENTS)],
    {Per * ?DIST_CLIENTS, now_ns() - T0}.

dist_call_run(Node, N) ->
    Server = {bench_server, Node},
    {Done, Elapsed} = dist_clients(fun(Per) -> dist_call_loop(Server, Per) end, N),
    {calls_per_s, Done / (Elapsed / 1.0e9), [{clients, ?DIST_CLIENTS}]}.

dist_call_loop(_Server, 0) -> ok;
dist_call_loop(Server, K) ->
    pong = gen_server:call(Server, ping),
    dist_call_loop(Server, K - 1).

dist_spawn_run(Node, N) ->
    {Done, Elapsed} = dist_clients(fun(Per) -> dist_spawn_loop(Node, Per) end, N),
    {spawns_per_s, Done / (Elapsed / 1.0e9), [{clients, ?DIST_CLIENTS}]}.

dist_spawn_loop(_Node, 0) -> ok;
dist_spawn_loop(Node, K) ->
    _ = spawn(Node, ?MODULE, dist_nop, []),
    dist_spawn_loop(Node, K - 1).

dist_nop() -> ok.

dist_rtt_run(Node, N) ->
    Echo = {echo, Node},
    Lat = [dist_round_trip(Echo, I) || I <- lists:seq(1, N)],
    Sorted = list_to_tuple(lists:sort(Lat)),
    Us = fun(P) -> percentile(Sorted, P) / 1000 end,
    {p50_us, Us(0.50), [{p99_us, Us(0.99)}, {max_us, element(N, Sorted) / 1000}, {samples, N}]}.

dist_round_trip(Echo, I) ->
    T0 = now_ns(),
    Echo ! {self(), I},
    receive {_, I} -> now_ns() - T0 end.

#!/usr/bin/env bash
# Time from starting a shell to its first prompt, in a tmux pane (a real terminal), N runs each:
#   docs/notes/measure-shell-start.sh [N] [LOOMIX_ROOT]
# Prints one line per run: which shell, milliseconds until the prompt appeared on the screen; for
# Loomix also until its line editor was ready (the "(node ..., shell process ...)" line it prints
# then; keys typed before that wait in the terminal). LOOMIX_ROOT: another checkout to compare.
set -euo pipefail
N="${1:-5}"
ROOT="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
SOCK="loomix-measure-$$"
measure() { # name, prompt text, command[, second text]
  local name="$1" prompt="$2" cmd="$3" ready="${4:-}" t0 t1 t2
  for _ in $(seq "$N"); do
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    t0=$(date +%s%N)
    tmux -L "$SOCK" new-session -d -s m -x 150 -y 40 "$cmd"
    until tmux -L "$SOCK" capture-pane -p -t m 2>/dev/null | grep -qF "$prompt"; do sleep 0.01; done
    t1=$(date +%s%N)
    if [ -n "$ready" ]; then
      until tmux -L "$SOCK" capture-pane -p -t m 2>/dev/null | grep -qF "$ready"; do sleep 0.01; done
      t2=$(date +%s%N)
      echo "$name $(( (t1 - t0) / 1000000 )) ms (line editor ready: $(( (t2 - t0) / 1000000 )) ms)"
    else
      echo "$name $(( (t1 - t0) / 1000000 )) ms"
    fi
    tmux -L "$SOCK" kill-server 2>/dev/null || true
  done
}
"$ROOT/loomix" shell --eval '1' >/dev/null   # builds if needed, outside the timing
measure "loomix-shell" "loomix(1)>" "cd $ROOT && ./loomix shell" "shell process"
measure "iex" "iex(1)>" "iex"

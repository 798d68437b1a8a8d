#!/usr/bin/env bash
# Time from starting a shell to its first prompt, in a tmux pane (a real terminal), N runs each:
#   docs/notes/measure-shell-start.sh [N]
# Prints one line per run: which shell, milliseconds until the prompt appeared on the screen.
set -euo pipefail
N="${1:-5}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SOCK="loomix-measure-$$"
measure() { # name, prompt text, command
  local name="$1" prompt="$2" cmd="$3" t0 t1
  for _ in $(seq "$N"); do
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    t0=$(date +%s%N)
    tmux -L "$SOCK" new-session -d -s m -x 150 -y 40 "$cmd"
    until tmux -L "$SOCK" capture-pane -p -t m 2>/dev/null | grep -qF "$prompt"; do sleep 0.01; done
    t1=$(date +%s%N)
    echo "$name $(( (t1 - t0) / 1000000 )) ms"
    tmux -L "$SOCK" kill-server 2>/dev/null || true
  done
}
"$ROOT/loomix" shell --eval '1' >/dev/null   # builds if needed, outside the timing
measure "loomix-shell" "loomix(1)>" "cd $ROOT && ./loomix shell"
measure "iex" "iex(1)>" "iex"

#!/bin/bash
# quiet2.sh MAXLOAD: waits until the 1-min load is under MAXLOAD and no other process used >40% CPU over 2 s
L=${1:-3.0}
while true; do
  l=$(cut -d' ' -f1 /proc/loadavg)
  busy=$(top -b -n2 -d2 | awk '/^top -/{n++} n==2 && $9+0>40 {print $12}' | grep -v "^top$" | head -1)
  if awk "BEGIN{exit !($l < $L)}" && [ -z "$busy" ]; then break; fi
  sleep 3
done

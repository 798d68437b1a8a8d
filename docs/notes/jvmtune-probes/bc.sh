#!/bin/bash
# alternated broadcast runs: config label + flags; prints ms and process CPU
for i in 1 2 3; do
  for cfg in "default|-Dnone=1" "xmn2g|-Xmn2g" "xmn4g|-Xmn4g"; do
    label=${cfg%%|*}; flags=${cfg#*|}
    out=$( { /usr/bin/time -f "CPU %U+%S s" /tmp/jvmtune/lb.sh /tmp/jvmtune/new broadcast 1000000 $flags -Xlog:gc:file=/tmp/jvmtune/gc-$label-$i.log; } 2>&1 | grep -E "RESULT|CPU" | tr '\n' ' ')
    echo "$label $i $(uptime | sed 's/.*average: //') $out"
  done
done

#!/bin/bash
# abh.sh OUT N ROWS BUILDS...: N alternations of the harness (Loomix peer) over frozen builds, one line per run
OUT=$1; N=$2; ROWS=$3; shift 3
for i in $(seq 1 $N); do
  for b in "$@"; do
    l=$(cut -d' ' -f1 /proc/loadavg)
    ./bm.sh /tmp/stall/$b /tmp/stall/h-$b-$i.json --only $ROWS --peers loomix > /dev/null 2>&1
    echo "$i $b load=$l $(python3 -c "
import json,sys
d=json.load(open('/tmp/stall/h-$b-$i.json'))
out=[]
for r in d['runs']:
    res=r.get('result') or {}
    e=res.get('extra',{})
    if r['workload']=='spinners':
        out.append('p99=%.1fus longest=%.1fms stalls=%d share=%.3f' % (res['value'], e['longest_stall_ms'], e['stalls'], e['stall_share']))
    else:
        out.append('%s=%.4g' % (r['workload'], res.get('value', float('nan'))))
print(' '.join(out))
")" >> $OUT
  done
done

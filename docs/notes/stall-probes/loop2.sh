#!/bin/bash
# loop2.sh UNTIL_EPOCH: at each quiet-ish moment, an alternated pair of spinners (harness) and of the probe; rows every 3rd
END=$1; i=0
while [ $(date +%s) -lt $END ]; do
  ./quiet2.sh 3.5
  i=$((i+1))
  if [ $((i % 2)) = 0 ]; then order="base new"; else order="new base"; fi
  ./abh.sh q-sp.txt 1 spinners $order
  for b in $order; do echo "$b load=$(cut -d' ' -f1 /proc/loadavg) $(./sp2.sh /tmp/stall/$b 20000 3 | grep ROUND | awk '{print $5, $7, $10}' | tr '\n' ' ')" >> q-probe.txt; done
  if [ $((i % 3)) = 0 ]; then ./quiet2.sh 3.5; ./abh.sh q-rows.txt 1 pingpong,ring,gencall,fanin $order; fi
done

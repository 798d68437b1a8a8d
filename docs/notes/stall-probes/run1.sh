#!/bin/bash
# run1.sh TAG BUILD ROUNDS REPS [jvm flags]: probe under perf sched_switch (CLOCK_MONOTONIC), with safepoint/gc log
TAG=$1; D=$2; R=$3; N=$4; shift 4
cd /tmp/stall
uptime > $TAG.uptime
perf record -q -e sched:sched_switch -e sched:sched_wakeup -k CLOCK_MONOTONIC -a -o $TAG.perf -- ./sp2.sh $D $R $N -Xlog:safepoint=info,gc=info:file=$TAG.jvmlog:timenanos,tid "$@" > $TAG.out 2>&1
perf script -i $TAG.perf -F comm,tid,cpu,time,event,trace 2>/dev/null > $TAG.txt
python3 an.py $TAG.txt $TAG.out $TAG.jvmlog > $TAG.an
uptime >> $TAG.uptime

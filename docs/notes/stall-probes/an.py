#!/usr/bin/env python3
"""an.py PERF_SCRIPT_TXT PROBE_OUT [JVM_LOG]: per stall over 3 ms, who had each CPU (from sched_switch),
the carriers' on-CPU time, and JVM safepoints overlapping it."""
import re, sys, collections
sw = re.compile(r'^\s*(\S+)\s+\d+\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch:\s+prev_comm=(.*?) prev_pid=(\d+) .*?prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)')
intervals = collections.defaultdict(list)  # cpu -> [(start, end, comm, tid, state_at_out)]
cur = {}
names = {}
for line in open(sys.argv[1], errors='replace'):
    m = sw.match(line)
    if not m: continue
    _, cpu, t, pc, pp, ps, nc, np_ = m.groups()
    cpu = int(cpu); t = float(t); pp = int(pp); np_ = int(np_)
    names[pp] = pc; names[np_] = nc
    if cpu in cur:
        s, c, p = cur[cpu]
        intervals[cpu].append((s, t, c, p, ps))
    cur[cpu] = (t, nc, np_)
ours = {}
for line in open(sys.argv[2]):
    if line.startswith('TIDS'):
        for kv in line.split()[1:]:
            k, v = kv.split('=', 1); ours[int(k)] = v
carriers = sorted(p for p, n in ours.items() if n.startswith('loomix-carrier'))
# the probe's JVM: carriers are the two highest-numbered? take the last two seen
print('carrier tids', carriers)
stalls = []
for line in open(sys.argv[2]):
    m = re.match(r'STALL #(\d+) start=([\d.]+) len=([\d.]+)ms toPonger=([\d.]+)ms pongerOn=(-?\d+) back=([\d.]+)ms', line)
    if m: stalls.append((int(m.group(1)), float(m.group(2)), float(m.group(3)) / 1e3, line.strip()))
sps = []
if len(sys.argv) > 3:
    for line in open(sys.argv[3]):
        m = re.match(r'\[(\d+)ns\].*Safepoint "(\w+)".*Reaching safepoint: (\d+) ns.*Total: (\d+) ns', line)
        if m:
            end = int(m.group(1)) / 1e9
            sps.append((end - int(m.group(4)) / 1e9, end, m.group(2), int(m.group(3)) / 1e6, int(m.group(4)) / 1e6))
        m = re.match(r'\[(\d+)ns\].*GC\(\d+\) Pause.* ([\d.]+)ms', line)
        if m:
            end = int(m.group(1)) / 1e9
            sps.append((end - float(m.group(2)) / 1e3, end, 'GCpause', 0, float(m.group(2))))
for n, a, d, text in stalls:
    b = a + d
    per = collections.defaultdict(float)
    oncpu = collections.defaultdict(float)
    for cpu, ivs in intervals.items():
        for s, e, c, p, st in ivs:
            o = min(e, b) - max(s, a)
            if o <= 0: continue
            per[(cpu, c, p)] += o
            oncpu[p] += o
    idle = sum(o for (cpu, c, p), o in per.items() if p == 0)
    carr = 'idle=%.1f ' % (idle * 1e3) + ' '.join('c%d=%.1f' % (i, oncpu.get(p, 0) * 1e3) for i, p in enumerate(carriers[-2:]))
    others = collections.defaultdict(float)
    for (cpu, c, p), o in per.items():
        if p in carriers: continue
        if p == 0: continue
        key = ('JVM:' + ours[p]) if p in ours else c
        others[key] += o
    top = sorted(others.items(), key=lambda kv: -kv[1])[:5]
    sp = [x for x in sps if x[1] > a and x[0] < b]
    print('#%d len=%.1fms  carriers on CPU(ms): %s  others: %s%s' % (n, d * 1e3, carr, ', '.join('%s %.1f' % (k, v * 1e3) for k, v in top),
          ('  SAFEPOINTS: ' + ', '.join('%s reach=%.2f total=%.2f' % (x[2], x[3], x[4]) for x in sp)) if sp else ''))

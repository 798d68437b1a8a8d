#!/usr/bin/env python3
"""classify.py TAG: a markdown table of the stalls over 3 ms in TAG.out (traced probe) with TAG.an (perf)."""
import re, sys
tag = sys.argv[1]
out = open('/tmp/stall/%s.out' % tag).read().split('\n')
an = {}
for l in open('/tmp/stall/%s.an' % tag):
    m = re.match(r'#(\d+) len=([\d.]+)ms\s+carriers on CPU\(ms\): idle=([\d.]+) c0=([\d.]+) c1=([\d.]+)\s+others: (.*)', l)
    if m: an.setdefault(m.group(1), []).append(m.groups())
rnd = 0; rows = []
used = {}
for i, l in enumerate(out):
    if l.startswith('ROUND'): rnd += 1
    m = re.match(r'STALL #(\d+) start=([\d.]+) len=([\d.]+)ms toPonger=([\d.]+)ms pongerOn=(-?\d+) back=([\d.]+)ms meOn=(-?\d+)', l)
    if not m: continue
    n = m.group(1); length = float(m.group(3)); to = float(m.group(4)); back = float(m.group(6))
    waiter = 'PONGER' if to > back else 'ME'
    on = int(m.group(5)) if waiter == 'PONGER' else int(m.group(7))
    ch = [out[i + 1 + k] for k in range(4)]
    line = [c for c in ch if c.strip().startswith('ch%d:' % on)][0]
    kind = '?'
    if re.search(r'\{pair x\d+ [-+][\d.]+\.\.\+([\d.]+)\}', line) and float(re.search(r'\{pair x\d+ [-+][\d.]+\.\.\+([\d.]+)\}', line).group(1)) > 1.0:
        kind = 'mounted'
    elif re.search(r'(PONGER|ME)/nextCont ([\d.]+)\]', line) and float(re.search(r'(PONGER|ME)/nextCont ([\d.]+)\]', line).group(2)) > 1.0 or re.search(r'\[([-+][\d.]+) running nextCont\.\.\.\]$', line.rstrip()) and float(re.search(r'\[([-+][\d.]+) running nextCont\.\.\.\]$', line.rstrip()).group(1)) < 0.5:
        kind = 'mounted'
    else:
        sm = [float(x) for x in re.findall(r's/\w+ ([\d.]+)\]', line)]
        if sm and max(sm) > 2.0: kind = 'queued behind a spinner slice of %.1f ms' % max(sm)
    if 'RESCUE' in ''.join(ch): kind += ' (rescued)'
    k = used.get(n, 0); used[n] = k + 1
    a = an.get(n, [])
    a = a[k] if k < len(a) else None
    if a:
        others = a[5].split(', ')
        cpu = 'carriers on CPU c0 %s / c1 %s ms, idle %s; %s' % (a[3], a[4], a[2], ', '.join(others[:2]))
    else:
        cpu = ''
    rows.append('| %d | #%s | %.1f | %s on c%d: %s | %s |' % (rnd, n, length, waiter, on, kind, cpu))
print('| round | stall | ms | the waiting process, where | who had the CPUs (perf) |')
print('|---|---|---:|---|---|')
print('\n'.join(rows))

import re, statistics as st
r=[]
for l in open('/tmp/stall/q-rows.txt'):
    m=re.match(r'\d+ (\w+) load=([\d.]+) pingpong=(\S+) ring=(\S+) fanin=(\S+) gencall=(\S+)', l)
    if m: r.append((m.group(1), float(m.group(2))) + tuple(float(m.group(k)) for k in range(3,7)))
names=['pingpong','ring','fanin','gencall']
for b in ('base','new'):
    x=[t for t in r if t[0]==b]
    print(b, 'n', len(x), ' '.join('%s median %.3g (%.3g-%.3g)' % (n, st.median(t[2+i] for t in x), min(t[2+i] for t in x), max(t[2+i] for t in x)) for i,n in enumerate(names)))
print('| pair | load | ' + ' | '.join('%s base / new' % n for n in names) + ' |')
for i in range(0, len(r)-1, 2):
    d={r[i][0]: r[i], r[i+1][0]: r[i+1]}
    if set(d)!={'base','new'}: continue
    print('| %d | %.1f | ' % (i//2+1, max(r[i][1], r[i+1][1])) + ' | '.join('%.2f / %.2f' % (d['base'][2+k]/1e6, d['new'][2+k]/1e6) for k in range(4)) + ' |')

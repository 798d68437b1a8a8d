import re, statistics as st
r=[]
for l in open('/tmp/stall/q-probe.txt'):
    m=re.match(r'(\w+) load=([\d.]+) (.*)', l)
    if not m: continue
    rounds=re.findall(r'max=([\d.]+)ms >3ms=(\d+) p99=([\d.]+)us', m.group(3))
    if len(rounds)!=3: continue
    r.append((m.group(1), float(m.group(2)), [(float(a), int(b), float(c)) for a,b,c in rounds]))
for b in ('base','new'):
    x=[t for t in r if t[0]==b]
    for k in range(3):
        print(b, 'round', k+1, 'n', len(x), 'max median %.1f' % st.median(t[2][k][0] for t in x), '>3ms median', st.median(t[2][k][1] for t in x), 'sum', sum(t[2][k][1] for t in x), 'p99 median %.1f' % st.median(t[2][k][2] for t in x))
# pairs
wins=[0,0,0]; tot=0
for i in range(0, len(r)-1, 2):
    d={r[i][0]: r[i], r[i+1][0]: r[i+1]}
    if set(d)!={'base','new'}: continue
    tot+=1
    for k in range(3):
        if d['new'][2][k][2] > d['base'][2][k][2]: wins[k]+=1
print('pairs', tot, 'new p99 higher per round', wins)

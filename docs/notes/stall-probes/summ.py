import re, statistics as st, sys
def rows(f):
    r=[]
    for l in open(f):
        m=re.match(r'\d+ (\w+) load=([\d.]+) p99=([\d.]+)us longest=([\d.]+)ms stalls=(\d+) share=([\d.]+)', l)
        if m: r.append((m.group(1), float(m.group(2)), float(m.group(3)), float(m.group(4)), int(m.group(5)), float(m.group(6))))
    return r
for f in sys.argv[1:]:
    r=rows(f)
    print(f)
    for b in ('base','new'):
        x=[t for t in r if t[0]==b]
        if not x: continue
        print('  %s n=%d longest median %.1f (min %.1f, max %.1f) | stalls median %d | share median %.2f | p99 median %.1f (min %.1f max %.1f) | load %.1f-%.1f' % (b, len(x),
            st.median(t[3] for t in x), min(t[3] for t in x), max(t[3] for t in x), st.median(t[4] for t in x), st.median(t[5] for t in x),
            st.median(t[2] for t in x), min(t[2] for t in x), max(t[2] for t in x), min(t[1] for t in x), max(t[1] for t in x)))
    # pairs in order
    print('  pairs:')
    for i in range(0, len(r) - 1, 2):
        a, b = r[i], r[i+1]
        d = {a[0]: a, b[0]: b}
        if set(d) != {'base', 'new'}: continue
        print('  | %d | %.1f | %.1f ms, %d, %.2f, %.1f us | %.1f ms, %d, %.2f, %.1f us |' % (i//2+1, max(a[1], b[1]), d['base'][3], d['base'][4], d['base'][5], d['base'][2], d['new'][3], d['new'][4], d['new'][5], d['new'][2]))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: instructions per function of one call of each event case.

    prof.py RAW --ko mb_bench.ko --map System.map --out profile.json

RAW is what prof_gdb.py (gdb, single steps) wrote during bench.sh's "prof"
boot: every instruction of every call of the event cases' functions.
Each address becomes its function (the System.map of the kernel that
booted, the module's symbols at the address it was loaded at); per case, the instructions of each call and,
for the last call (the others may take one-time paths: a new buffer page,
a first string), the instructions spent in each function, in the order
they first ran. Writes the JSON file and prints one block per case.
Exits 1 if RAW has no call.
"""
import argparse
import bisect
import json
import subprocess
import sys
from pathlib import Path


class Symbols:
    """address -> function name, from System.map and objdump of a .ko"""

    def __init__(self, system_map, ko, base):
        pairs = []
        for ln in Path(system_map).read_text().splitlines():
            w = ln.split()
            if len(w) == 3 and w[1] in 'tTwW' and \
                    not w[2].startswith('__pfx_'):
                pairs.append((int(w[0], 16), w[2]))
        self.kend = max((a for a, n in pairs if n == '_etext'), default=0)
        if ko and base is not None:
            out = subprocess.run(['objdump', '-t', ko], check=True,
                                 capture_output=True, text=True).stdout
            for ln in out.splitlines():
                w = ln.split()
                if len(w) >= 6 and w[-3] == '.text' and 'F' in w[1:-3] and \
                        not w[-1].startswith('__pfx_'):
                    pairs.append((base + int(w[0], 16), w[-1] + ' [mb_bench]',
                                  int(w[-2], 16)))
        pairs.sort()
        self.addrs = [p[0] for p in pairs]
        self.pairs = pairs

    def name(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        if i < 0:
            return f'?{pc:x}'
        p = self.pairs[i]
        if len(p) == 3 and pc >= p[0] + p[2]:	# past a module function
            return '[module area]'
        if len(p) == 2 and pc >= self.kend and pc >= 0xffffffffa0000000:
            return '[module area]'
        return p[1]


def parse(raw):
    base, case, calls, problems = None, None, [], []
    lines = Path(raw).read_text().splitlines()
    i = 0
    while i < len(lines):
        w = lines[i].split()
        i += 1
        if not w:
            continue
        if w[0] == 'BASE':
            base = int(w[1], 16)
        elif w[0] == 'CASE':
            case = w[1] if len(w) > 1 else '?'
        elif w[0] == 'CALL':
            n = int(w[2])
            calls.append((case, w[1], [int(x, 16) for x in lines[i:i + n]]))
            i += n
        elif w[0] in ('TRUNC', 'STOP'):
            problems.append(f'{case}: {" ".join(w)}')
    return base, calls, problems


def by_symbol(syms, pcs):
    """[(function, instructions)] in the order the functions first ran"""
    counts = {}
    for pc in pcs:
        n = syms.name(pc)
        counts[n] = counts.get(n, 0) + 1
    return list(counts.items())


def read(path):
    """the profile is a diagnosis: a missing one is noted, not a failure"""
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        return {'cases': {}, 'problems': [f'no profile: {e}']}


PAIRS = (('ev_mark', 'ev_te'), ('pf_mark', 'pf_te'), ('ip_mark', 'ip_te'),
         ('ip_pf_mark', 'ip_pf_te'))


def compare(a, b, ca, cb):
    """the functions whose instructions differ between two cases' calls"""
    def own(c):
        """the case's function and loop under one name for both cases"""
        fn = c['function'] + ' [mb_bench]'
        loop = fn.replace('mb_fn_', 'mb_loop_')
        return [('(the marked function)' if n == fn else
                 '(its loop)' if n == loop else n, k) for n, k in c['last']]

    la, lb = own(ca), own(cb)
    da, db = dict(la), dict(lb)
    names = [n for n, _ in la] + [n for n, _ in lb if n not in da]
    L = [f'   {a} {ca["calls"][-1]} against {b} {cb["calls"][-1]} '
         f'({ca["calls"][-1] - cb["calls"][-1]:+}): the functions that '
         'differ', f'      {a:>8} {b:>8}']
    same = [n for n in names if da.get(n) == db.get(n)]
    for n in names:
        if n not in same:
            L.append(f'      {da.get(n, "-"):>8} {db.get(n, "-"):>8}  {n}'
                     [:80])
    total = sum(da[n] for n in same)
    L.append(f'      {total:>8} {total:>8}  the {len(same)} other functions, '
             'the same in both')
    return L


def table(prof, top=12):
    """section 5: where the instructions of one call of each event case go"""
    if not prof:
        return []
    cases = prof.get('cases', {})
    L = ['', '5. Instruction profile of the event cases: one call '
         'single-stepped by gdb',
         '   (QEMU gdb stub, -icount), the last of 3 calls, from the entry '
         'of the function',
         '   to its return (section 1\'s net: minus ev_a\'s call, about 6); '
         'instructions',
         '   per function, in the order the functions first ran']
    paired = set()
    for a, b in PAIRS:
        if a in cases and b in cases:
            L += compare(a, b, cases[a], cases[b])
            paired |= {a, b}
    for cid, c in cases.items():
        if cid in paired:
            continue
        L.append(f'   {cid} ({c["function"]}): {c["calls"][-1]} instructions '
                 f'(the 3 calls: {" ".join(map(str, c["calls"]))})')
        items = c['last']
        keep = sorted(sorted(items, key=lambda x: -x[1])[:top],
                      key=items.index)
        for name, n in keep:
            L.append(f'      {n:8}  {name}'[:80])
        rest = [n for x, n in items if x not in dict(keep)]
        if rest:
            L.append(f'      {sum(rest):8}  the {len(rest)} other functions')
    for p in prof.get('problems', []):
        L.append(f'   profile: {p}')
    return L


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('raw')
    ap.add_argument('--ko', required=True)
    ap.add_argument('--map', required=True, help='System.map')
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    base, calls, problems = parse(args.raw)
    syms = Symbols(args.map, args.ko, base)
    cases = {}
    for case, fn, pcs in calls:
        c = cases.setdefault(case, {'function': fn, 'calls': []})
        c['calls'].append(len(pcs))
        c['last'] = by_symbol(syms, pcs)
    res = {'cases': cases, 'problems': problems}
    Path(args.out).write_text(json.dumps(res, indent=1) + '\n')
    for case, c in cases.items():
        print(f'{case} ({c["function"]}): instructions per call '
              f'{" ".join(map(str, c["calls"]))}')
        for n, k in c['last']:
            print(f'    {k:6} {n}')
    for p in problems:
        print(f'profile: {p}')
    return 0 if calls else 1


if __name__ == '__main__':
    sys.exit(main())

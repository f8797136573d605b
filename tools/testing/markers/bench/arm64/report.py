#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ARCH=arm64 make bench: the arm64 measurements as one table, with targets.

Inputs (produced by tools/testing/markers/bench/arm64/bench.sh):
  --log LOG      console of the one -icount boot (guest.sh: mb_pmu.ko,
                 then mb_arm.ko with mbinsn)
  --failed TEXT  a failure bench.sh found (the kernel rebuilt during the run)
  --out DIR      where results.json, results.csv and table.txt go
  --meta JSON    date, host, kernel, compiler
  --smoke        few iterations: report, but check only that every case ran

Prints the table, one line per target ("met" or "missed", with the
figures), and last "bench: N of M targets met". Exits 1 if a case failed
to run (missing or refused result, a step of the guest script failed, an
active case that costs no more than its dormant one, a counter that is not
exact), else 0: a missed target is reported, not a failure.
"""
import argparse
import csv
import json
import re
import statistics
import sys
from pathlib import Path

FAILURES = []


def failed(what):
    FAILURES.append(what)


# id, what, its dormant twin (an active case must cost more)
INSN_CASES = [
    ('a0', 'loop alone, no call (reference)', None),
    ('a', 'unmarked function (baseline of net)', None),
    ('b', 'dormant marker, 3 args', None),
    ('c', 'dormant tracepoint, same args', None),
    ('f', 'active marker, 1 empty direct probe', 'b'),
    ('f_va', 'active marker, 1 empty va_list probe', 'b'),
    ('g', 'active marker, 2 empty direct probes', 'b'),
    ('g3', 'active marker, 3 empty direct probes', 'b'),
    ('h', 'active tracepoint, 1 empty probe', 'c'),
    ('h2', 'active tracepoint, 2 empty probes', 'c'),
    ('h3', 'active tracepoint, 3 empty probes', 'c'),
]
ARM_OPS = [
    ('glob_on', 'enable 1000 markers: 1 glob write'),
    ('glob_off', 'disable them: 1 glob write'),
    ('keys_on', 'enable 1000 static keys one by one'),
    ('keys_off', 'disable them one by one'),
]
KLINE = re.compile(r'^MB-K (mb_pmu|mb_arm): (.*)$')
ARM = re.compile(r'MB-ARM (\S+) (\d+) insn (\d+) writes (\d+) failed (\d+) '
                 r'before (.*) after (.*)$')


def read_log(path):
    if not Path(path).exists():
        failed(f'no log {path}')
        return []
    lines = Path(path).read_text(errors='replace').splitlines()
    if not any(ln.startswith('VM-TEST-STATUS:') for ln in lines):
        failed(f'{path}: the guest never finished (no VM-TEST-STATUS line)')
    for ln in lines:
        if ln.startswith('MB-FAIL '):
            failed(f'guest: {ln[8:]}')
    return lines


def parse_insn(lines):
    res, errors = {}, {}
    for ln in lines:
        m = KLINE.match(ln)
        if not m or m.group(1) != 'mb_pmu':
            continue
        w = m.group(2).split()
        if w[0] == 'R' and len(w) >= 4:
            totals = [int(x) for x in w[3:]]
            res[w[1]] = {'iters': int(w[2]), 'totals': totals,
                         'per_iter': statistics.median(totals) / int(w[2])}
        elif w[0] == 'E':
            errors[w[1]] = ' '.join(w[2:])
    for what, err in errors.items():
        if what not in dict((c, 1) for c, _, _ in INSN_CASES):
            failed(f'mb_pmu: {what} {err}')
    rows = []
    base = res.get('a', {}).get('per_iter')
    for cid, what, dormant in INSN_CASES:
        r = res.get(cid)
        if cid in errors:
            failed(f'case {cid} ({what}) refused: {errors[cid]}')
        elif not r:
            failed(f'case {cid} ({what}): no result')
        if not r:
            rows.append({'id': cid, 'what': what, 'raw': None, 'net': None})
            continue
        net = None if base is None or cid == 'a0' else r['per_iter'] - base
        spread = (max(r['totals']) - min(r['totals'])) / r['iters']
        rows.append({'id': cid, 'what': what, 'raw': r['per_iter'],
                     'net': net, 'spread': spread, 'iters': r['iters'],
                     'reps': len(r['totals'])})
        if dormant and dormant in res and \
                r['per_iter'] < res[dormant]['per_iter'] + 5:
            failed(f'case {cid} ({what}): {r["per_iter"]:.1f} instructions, '
                   f'not more than dormant {dormant}: the probe did not run')
    # Interrupts are off and the code is the same every time: an exact
    # counter gives the same total for every loop of the reference case.
    a0 = res.get('a0')
    if a0 and len(set(a0['totals'])) != 1:
        failed(f'case a0: totals {a0["totals"]} differ: the instruction '
               'counter is not exact')
    return rows


def parse_stats(words):
    return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def parse_arm(lines):
    runs = {}
    for ln in lines:
        if not ln.startswith('MB-ARM '):
            continue
        m = ARM.match(ln)
        if not m:
            failed(f'bad line: {ln}')
            continue
        s0, s1 = parse_stats(m.group(6).split()), parse_stats(m.group(7).split())
        if int(m.group(5)):
            failed(f'arming {m.group(1)}: {m.group(5)} write(s) failed')
        runs.setdefault(m.group(1), []).append({
            'insn': int(m.group(3)),
            **{k: s1.get(k, 0) - s0.get(k, 0) for k in s1}})
    rows = []
    for op, what in ARM_OPS:
        r = runs.get(op)
        if not r:
            failed(f'arming {op}: no result')
            rows.append({'id': op, 'what': what})
            continue
        row = {'id': op, 'what': what, 'reps': len(r),
               'minsn': statistics.median(x['insn'] for x in r) / 1e6}
        for k in ('sequences', 'batches', 'pokes'):
            row[k] = statistics.median(x.get(k, 0) for x in r)
        rows.append(row)
    return rows


def get(rows, cid, key='net'):
    return next((r.get(key) for r in rows if r['id'] == cid), None)


def fmt(v, nd=1):
    return '-' if v is None else f'{v:.{nd}f}'


def targets(ins, arm):
    out = []

    def target(text, ok, detail):
        out.append({'text': text, 'met': bool(ok), 'detail': detail})

    b, c, f, h = (get(ins, x) for x in ('b', 'c', 'f', 'h'))
    if None not in (b, c):
        target('dormant marker: one instruction, < dormant tracepoint (net)', b == 1 and b < c,
               f'marker {fmt(b)}, tracepoint {fmt(c)}')
    if None not in (f, h):
        target('active marker, 1 direct probe, <= tracepoint, 1 probe (net)', f <= h, f'marker {fmt(f)}, tracepoint {fmt(h)}')
    on, keys = get(arm, 'glob_on', 'minsn'), get(arm, 'keys_on', 'minsn')
    if None not in (on, keys):
        target('arm 1000 markers, 1 write, in fewer insns than 1000 keys', on < keys,
               f'markers {fmt(on)} M, keys {fmt(keys)} M')
    return out


def table(meta, ins, arm, tg):
    L = [f'ARCH=arm64 make bench, {meta.get("date")}, {meta.get("host")}',
         f'Linux {meta.get("kernel")}; {meta.get("cc")}']
    if meta.get('smoke'):
        L.append('SMOKE RUN: few iterations, the figures mean little')
    it = next((r for r in ins if r.get('iters')), {})
    L += ['',
          '1. Instructions per call in the kernel: the PMU\'s instruction '
          'counter, QEMU',
          '   -icount shift=0, 1 vCPU; loops of '
          f'{it.get("iters", "?")} calls, median of {it.get("reps", "?")}, '
          'net: minus case a;',
          '   spread: (max - min) / calls, 0 when every loop counted the '
          'same',
          f'   {"case":8} {"what":42} {"raw":>8} {"net":>8} {"spread":>7}']
    for r in ins:
        L.append(f'   {r["id"]:8} {r["what"]:42} {fmt(r["raw"]):>8} '
                 f'{fmt(r["net"]):>8} {fmt(r.get("spread"), 2):>7}')
    g, g3, f = get(ins, 'g'), get(ins, 'g3'), get(ins, 'f')
    if None not in (g, g3, f):
        L += ['   a direct probe out of BL range (+-128 MiB) is called by the '
              'dispatcher,',
              f'   as each of g\'s: 2 x g - g3 = {fmt(2 * g - g3)} '
              f'(derived, not measured), f = {fmt(f)}']
    L += ['',
          '2. Arming, 1 vCPU, -icount shift=0: millions of guest instructions '
          '(PMU, every',
          '   CPU, user and kernel, from open to close), median of '
          f'{next((r["reps"] for r in arm if r.get("reps")), "?")};',
          '   seq, batch, pokes: growth of markers/stats',
          f'   {"operation":38} {"Minsn":>8} {"seq":>5} {"batch":>5} '
          f'{"pokes":>6}']
    for r in arm:
        L.append(f'   {r["what"]:38} {fmt(r.get("minsn"), 2):>8} '
                 f'{fmt(r.get("sequences"), 0):>5} '
                 f'{fmt(r.get("batches"), 0):>5} {fmt(r.get("pokes"), 0):>6}')
    L += ['', 'Targets']
    for i, t in enumerate(tg, 1):
        L.append(f'   {i}. {"met" if t["met"] else "missed":7} {t["text"]}')
        L.append(f'      {t["detail"]}')
    return L


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--log', required=True)
    ap.add_argument('--failed', action='append', default=[])
    ap.add_argument('--out', required=True)
    ap.add_argument('--meta', default='{}')
    ap.add_argument('--smoke', action='store_true')
    a = ap.parse_args()
    for f in a.failed:
        failed(f)
    meta = json.loads(a.meta)
    meta['smoke'] = a.smoke
    lines = read_log(a.log)
    ins, arm = parse_insn(lines), parse_arm(lines)
    tg = targets(ins, arm)
    L = table(meta, ins, arm, tg)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / 'table.txt').write_text('\n'.join(L) + '\n')
    (out / 'results.json').write_text(json.dumps(
        {'meta': meta, 'insn': ins, 'arm': arm, 'targets': tg,
         'failures': FAILURES}, indent=1) + '\n')
    with open(out / 'results.csv', 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(['section', 'id', 'what', 'value', 'net'])
        for r in ins:
            w.writerow(['insn', r['id'], r['what'], r['raw'], r['net']])
        for r in arm:
            w.writerow(['arm', r['id'], r['what'], r.get('minsn'), ''])
    print('\n'.join(L))
    for f in FAILURES:
        print(f'FAILED: {f}')
    met = sum(t['met'] for t in tg)
    print(f'bench: {met} of {len(tg)} targets met' +
          (f', {len(FAILURES)} failure(s)' if FAILURES else ''))
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())

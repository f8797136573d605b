#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: turn the measurements into one table, targets, CSV, JSON, PNG.

Inputs (all produced by tools/testing/markers/bench.sh):
  --insn LOG     console of the -icount boot (mb_bench.ko, guest.sh insn)
  --arm LOG      console of the two-vCPU boot (mb_arm.ko, guest.sh arm)
  --native JSON  output of the userspace harness (native.c)
  --objs DIR     the built footprint objects mb_fp_*.o
  --profile JSON instructions per function of the event cases (prof.py)
  --failed TEXT  a failure bench.sh found (the kernel rebuilt during the run)
  --out DIR      where results.json, results.csv, table.txt, bench.png go
  --smoke        few iterations: report, but check only that every case ran

Prints the table, one line per target ("met" or "missed", with the
figures), and last "bench: N of M targets met". Exits 1 if a case failed
to run (missing or refused result, a step of the guest script failed, a
probe that did not fire), else 0: a missed target is reported, not a
failure.
"""
import argparse
import csv
import json
import math
import re
import statistics
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import prof  # bench/prof.py, the instruction profile

FAILURES = []


def failed(what):
    FAILURES.append(what)


# --- the kernel benchmark (instructions, -icount) ---------------------------

INSN_CASES = [
    ('a0', 'loop alone, no call (reference)', None),
    ('a', 'unmarked function (baseline of net)', None),
    ('b', 'dormant marker, 3 args', None),
    ('c', 'dormant tracepoint, same args', None),
    ('d', 'dormant classic 2.6.31 marker', None),
    ('e', 'dormant pr_debug (dynamic debug)', None),
    ('f', 'active marker, 1 empty direct probe', 'b'),
    ('f_va', 'active marker, 1 empty va_list probe', 'b'),
    ('g', 'active marker, 2 empty direct probes', 'b'),
    ('g3', 'active marker, 3 empty direct probes', 'b'),
    ('h', 'active tracepoint, 1 empty probe', 'c'),
    ('h2', 'active tracepoint, 2 empty probes', 'c'),
    ('h3', 'active tracepoint, 3 empty probes', 'c'),
    ('i', 'active classic marker, va_list path', 'd'),
    ('j', 'kprobe on the function, empty pre-handler', 'a'),
    ('j_int3', 'kprobe in the body, int3', 'a'),
    ('j_opt', 'kprobe in the body, optimized', 'a'),
    ('k_rec', 'marker event (set_marker), 3 ints', 'b'),
    ('k_printk', 'trace_printk, same format', 'a'),
    # one event of "pid %d len %lu comm %s" (int, unsigned long, string)
    ('ev_a', 'unmarked function (int, long, string)', None),
    ('ev_b', 'dormant marker "pid %d len %lu comm %s"', None),
    ('ev_c', 'dormant TRACE_EVENT, same fields', None),
    ('ev_mark', 'a) marker event, ftrace (tracefs enable)', 'ev_b'),
    ('ev_te', 'b) TRACE_EVENT, ftrace (tracefs enable)', 'ev_c'),
    ('ev_prk', 'c) trace_printk, same format', 'ev_a'),
    ('pf_mark', 'd) marker event, perf counting only', 'ev_b'),
    ('pf_te', 'd) TRACE_EVENT, perf counting only', 'ev_c'),
    # one event of "addr %pI4 port %u": 4 bytes copied, and an int
    ('ip_a', 'unmarked function (address, int)', None),
    ('ip_b', 'dormant marker "addr %pI4 port %u"', None),
    ('ip_c', 'dormant TRACE_EVENT, __array(u8, addr, 4)', None),
    ('ip_mark', 'e) marker event, ftrace (tracefs enable)', 'ip_b'),
    ('ip_te', 'f) TRACE_EVENT, ftrace (tracefs enable)', 'ip_c'),
    ('ip_pf_mark', 'g) marker event, perf counting only', 'ip_b'),
    ('ip_pf_te', 'g) TRACE_EVENT, perf counting only', 'ip_c'),
]
# net = raw minus this case's (default: a)
NET_BASE = {c: 'ip_a' for c in ('ip_b', 'ip_c', 'ip_mark', 'ip_te',
                                'ip_pf_mark', 'ip_pf_te')}
NET_BASE |= {c: 'ev_a' for c in ('ev_b', 'ev_c', 'ev_mark', 'ev_te', 'ev_prk',
                                'pf_mark', 'pf_te')}
# what each event case must leave: records in the top-level buffer (the
# start of the first one), perf counts; per call
EV_RECORDS = {'ev_mark': ('1', r'mb_bench_ev: pid 0 len 1 comm \S'),
              'ev_te': ('1', r'mb_bench_te: pid 0 len 1 comm \S'),
              'ev_prk': ('1', r'mb_fn_ev_printk: pid 0 len 1 comm \S'),
              'pf_mark': ('0', None), 'pf_te': ('0', None),
              'ip_mark': ('1', r'mb_bench_ip: addr 10\.0\.0\.1 port 0'),
              'ip_te': ('1', r'mb_bench_ip: addr 10\.0\.0\.1 port 0'),
              'ip_pf_mark': ('0', None), 'ip_pf_te': ('0', None)}
EV_PERF = ('pf_mark', 'pf_te', 'ip_pf_mark', 'ip_pf_te')

KLINE = re.compile(r'^MB-K (mb_bench|mb_arm): (.*)$')


def read_log(path):
    if not path or not Path(path).exists():
        failed(f'no log {path}')
        return []
    lines = Path(path).read_text(errors='replace').splitlines()
    status = [ln for ln in lines if ln.startswith('VM-TEST-STATUS:')]
    if not status:
        failed(f'{path}: the guest never finished (no VM-TEST-STATUS line)')
    for ln in lines:
        if ln.startswith('MB-FAIL '):
            failed(f'{Path(path).name}: {ln[8:]}')
    return lines


def parse_ev(lines):
    """{case: {'entries', 'overrun', 'first'}}, {case: perf count},
    {case: fields}, the kernel's taint after the cases"""
    ev, perf, fmts, taint = {}, {}, {}, None
    for ln in lines:
        m = re.match(r'MB-EV (\S+) entries: (\d+) overrun: (\d+) \| ?(.*)$',
                     ln)
        if m:
            ev[m.group(1)] = {'entries': int(m.group(2)),
                              'overrun': int(m.group(3)),
                              'first': m.group(4).strip()}
        elif ln.startswith('MB-EV '):
            failed(f'bad line: {ln}')
        m = re.match(r'MB-PERF (\S+) count (\d+)$', ln)
        if m:
            perf[m.group(1)] = int(m.group(2))
        m = re.match(r'MB-TAINT (\d+) banner (\d+)', ln)
        if m:
            taint = int(m.group(1))
            fmts['banner'] = int(m.group(2))
        m = re.match(r'MB-FMT (\S+) (.*)$', ln)
        if m:
            fmts[m.group(1)] = [f.strip() for f in m.group(2).split(';')
                                if f.strip()]
    return ev, perf, fmts, taint


def check_ev(res, ev, perf, fmts, taint):
    """each event case recorded (or counted) one event per call"""
    for cid, (per_call, first) in EV_RECORDS.items():
        r = res.get(cid)
        if not r:
            continue
        calls = r['iters'] * len(r['totals'])
        e = ev.get(cid)
        want = calls * int(per_call)
        if e is None:
            failed(f'case {cid}: no buffer statistics (MB-EV)')
        elif e['entries'] != want or e['overrun']:
            failed(f'case {cid}: {e["entries"]} records in the buffer, '
                   f'{e["overrun"]} overwritten, for {want} expected')
        elif first and not re.search(first, e['first']):
            failed(f'case {cid}: first record "{e["first"]}", expected '
                   f'/{first}/')
        if cid in EV_PERF and perf.get(cid) != calls:
            failed(f'case {cid}: perf counted {perf.get(cid)} events for '
                   f'{calls} calls')
    if taint is None:
        failed('no taint line (MB-TAINT)')
    elif taint & (1 << 9 | 1 << 7 | 1 << 14):
        failed(f'the kernel warned or oopsed (taint {taint})')
    for m, t in (('ev_mark', 'ev_te'), ('ip_mark', 'ip_te')):
        if not fmts.get(m) or fmts.get(m) != fmts.get(t):
            failed(f'the marker event\'s fields {fmts.get(m)} are not '
                   f'the TRACE_EVENT\'s {fmts.get(t)}')


def parse_insn(lines):
    res, info, errors = {}, {}, {}
    rec = printk = None
    for ln in lines:
        m = KLINE.match(ln)
        if m and m.group(1) == 'mb_bench':
            w = m.group(2).split()
            if w[0] == 'R' and len(w) >= 4:
                iters = int(w[2])
                totals = [int(x) for x in w[3:]]
                res[w[1]] = {'iters': iters, 'totals': totals,
                             'per_iter': statistics.median(totals) / iters}
            elif w[0] == 'E':
                errors[w[1]] = ' '.join(w[2:])
            elif w[0] == 'I':
                info[w[1]] = ' '.join(w[2:])
        elif ln.startswith('MB-REC '):
            w = ln.split()
            rec = {'hits': int(w[2]), 'missed': int(w[4])}
        elif ln.startswith('MB-PRINTK '):
            printk = ln[10:].strip()
    for cid, what, _ in INSN_CASES:
        if cid in errors:
            failed(f'case {cid} ({what}) refused: {errors[cid]}')
        elif cid not in res:
            failed(f'case {cid} ({what}): no result')
    rows = []
    for cid, what, dormant in INSN_CASES:
        r = res.get(cid)
        if not r:
            rows.append({'id': cid, 'what': what, 'raw': None, 'net': None})
            continue
        base = res.get(NET_BASE.get(cid, 'a'), {}).get('per_iter')
        net = None if base is None or cid == 'a0' else r['per_iter'] - base
        spread = (max(r['totals']) - min(r['totals'])) / r['iters']
        row = {'id': cid, 'what': what, 'raw': r['per_iter'], 'net': net,
               'spread': spread, 'iters': r['iters'],
               'reps': len(r['totals']), 'info': info.get(cid, ''),
               'base': NET_BASE.get(cid, 'a')}
        rows.append(row)
        # an active case that costs no more than its dormant twin never ran
        if dormant and dormant in res and \
                r['per_iter'] < res[dormant]['per_iter'] + 5:
            failed(f'case {cid} ({what}): {r["per_iter"]:.1f} instructions, '
                   f'not more than dormant {dormant}: the probe did not run')
    if rec is None:
        failed('no recording statistics (MB-REC)')
    elif rec['missed']:
        failed(f'recording probe dropped {rec["missed"]} events '
               '(buffer too small): case k_rec is wrong')
    ev, perf, fmts, taint = parse_ev(lines)
    check_ev(res, ev, perf, fmts, taint)
    return {'rows': rows, 'recorder': rec, 'trace_printk_stats': printk,
            'events': ev, 'perf': perf, 'formats': fmts, 'taint': taint}


# --- arming (two vCPUs) -----------------------------------------------------

ARM_OPS = [
    ('glob_on', 'enable 1000 markers: 1 glob write'),
    ('glob_off', 'disable them: 1 glob write'),
    ('keys_on', 'enable 1000 static keys one by one'),
    ('keys_off', 'disable them one by one'),
    ('each_on', 'enable 1000 markers: 1000 writes'),
    ('each_off', 'disable them: 1000 writes'),
    ('system_on', 'enable all: events/markers/enable'),
    ('system_off', 'disable them: events/markers/enable'),
    ('set_event_on', "enable all: set_event 'markers:*'"),
    ('set_event_off', "disable them: set_event '!markers:*'"),
]


def parse_stats(words):
    return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def arm_runs(lines):
    """{operation: [run]} from the MB-ARM lines, and the keys' kernel times"""
    runs, key_ns = {}, {}
    for ln in lines:
        if ln.startswith('MB-ARM '):
            m = re.match(r'MB-ARM (\S+) (\d+) ns (\d+) cal (\d+) writes (\d+) '
                         r'failed (\d+) before (.*) after (.*)$', ln)
            if not m:
                failed(f'bad line: {ln}')
                continue
            s0 = parse_stats(m.group(7).split())
            s1 = parse_stats(m.group(8).split())
            runs.setdefault(m.group(1), []).append({
                'ns': int(m.group(3)), 'cal': int(m.group(4)),
                'writes': int(m.group(5)), 'failed': int(m.group(6)),
                **{k: s1.get(k, 0) - s0.get(k, 0) for k in s1}})
        m = KLINE.match(ln)
        if m and m.group(1) == 'mb_arm':
            w = m.group(2).split()
            if w[0] == 'keys':
                key_ns.setdefault('keys_on' if w[1] == '1' else 'keys_off',
                                  []).append(int(w[3]))
    return runs, key_ns


def parse_arm(lines, icount_lines):
    """icount_lines is None when there was no -icount boot (smoke run)"""
    runs, key_ns = arm_runs(lines)
    iruns, _ = arm_runs(icount_lines or [])
    rows = []
    for op, what in ARM_OPS:
        r = runs.get(op)
        if not r:
            failed(f'arming {op}: no result')
            rows.append({'id': op, 'what': what})
            continue
        row = {'id': op, 'what': what, 'reps': len(r),
               'ms': statistics.median(x['ns'] for x in r) / 1e6,
               'ipis': statistics.median(x['cal'] for x in r)}
        for k in ('sequences', 'batches', 'pokes', 'grace_periods'):
            row[k] = statistics.median(x.get(k, 0) for x in r)
        if op in key_ns:
            row['kernel_ms'] = statistics.median(key_ns[op]) / 1e6
        if op in iruns:
            row['icount_ms'] = statistics.median(x['ns'] for x in iruns[op]) / 1e6
            row['icount_ipis'] = statistics.median(x['cal'] for x in iruns[op])
        elif icount_lines is not None:
            failed(f'arming {op} under -icount: no result')
        rows.append(row)
    return {'rows': rows}


# --- footprint (built objects) ----------------------------------------------

FP_OBJS = [
    ('marker', 'mb_fp_marker.o', 'marker'),
    ('trace_event', 'mb_fp_event.o', 'TRACE_EVENT'),
    ('define_event', 'mb_fp_class.o', 'DEFINE_EVENT (1 class)'),
    ('dyndbg', 'mb_fp_dyndbg.o', 'pr_debug (dynamic debug)'),
]
FP_COLS = ['inline_text', 'ool_text', 'data', 'strings', 'entries', 'other']
FP_OTHER = ('.orc_unwind', '.orc_unwind_ip', '.return_sites', '.call_sites',
            '.retpoline_sites', '.ibt_endbr_seal', '__patchable_function_entries',
            '__mcount_loc', '.note', '.modinfo', '.static_call_sites')
SHF_ALLOC = 2


def elf_sections(path):
    """[(name, size)] of the SHF_ALLOC sections of an ELF64 object."""
    data = Path(path).read_bytes()
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
    hdrs = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize)
            for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    out = []
    for h in hdrs:
        name_off, _, flags, _, _, size = h[:6]
        if not flags & SHF_ALLOC:
            continue
        end = data.index(b'\0', stroff + name_off)
        name = data[stroff + name_off:end].decode()
        if not name.startswith('.discard'):	# dropped by the linker
            out.append((name, size))
    return out


def section_class(name):
    if name.startswith(FP_OTHER):
        return 'other'
    if name.endswith('_strings') or name.startswith('.rodata.str'):
        return 'strings'
    if name.startswith(('.text', '.noinstr.text', '.static_call.text',
                        '.init.text', '.exit.text', '.sched.text')):
        return 'text'
    if name.startswith('.'):
        return 'data'
    return 'entries'


INSN_LINE = re.compile(r'^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(\S+)\s*(.*)$')
FUNC_LINE = re.compile(r'^[0-9a-f]+ <(\S+)>:$')
RELOC_LINE = re.compile(r'^\s*[0-9a-f]+: R_X86_64_\S+\s+(\S+)')
RELOC_IN_LINE = re.compile(r'\sR_X86_64_\S+\s+(\S+)')


def hot_path_bytes(path):
    """{function: bytes run from entry to return with every site off}"""
    out = subprocess.run(['objdump', '-dr', '-w', path], check=True,
                         capture_output=True, text=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = FUNC_LINE.match(line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
            continue
        if cur is None:
            continue
        m = RELOC_LINE.match(line)
        if m and cur:
            cur[-1][4] = m.group(1)
            continue
        m = INSN_LINE.match(line)
        if m:
            # with -w, a relocation follows its instruction on the same line
            r = RELOC_IN_LINE.search(m.group(4))
            cur.append([int(m.group(1), 16), len(m.group(2).split()),
                        m.group(3), m.group(4), r.group(1) if r else None])
    result = {}
    for name, insns in funcs.items():
        if not name.startswith('mb_fp_fn_'):
            continue
        index = {ins[0]: i for i, ins in enumerate(insns)}
        i, total, seen = 0, 0, set()
        while i < len(insns) and i not in seen:
            seen.add(i)
            addr, size, mn, ops, reloc = insns[i]
            total += size
            if mn.startswith('ret') or (mn == 'jmp' and reloc and
                                        'return_thunk' in reloc):
                break
            if mn == 'jmp':
                target = int(ops.split()[0], 16)
                if target not in index:
                    break
                i = index[target]
                continue
            i += 1
        result[name] = total
    return result


def footprint(objdir):
    objdir = Path(objdir)
    base_path = objdir / 'mb_fp_none.o'
    if not base_path.exists():
        failed(f'no {base_path}')
        return {'rows': []}

    def totals(path):
        t = dict.fromkeys(['text', 'data', 'strings', 'entries', 'other'], 0)
        secs = {}
        for name, size in elf_sections(path):
            t[section_class(name)] += size
            secs[name] = secs.get(name, 0) + size
        return t, secs

    base, base_secs = totals(base_path)
    base_hot = hot_path_bytes(base_path)
    rows = []
    for fid, obj, what in FP_OBJS:
        path = objdir / obj
        if not path.exists():
            failed(f'no {path}')
            continue
        t, secs = totals(path)
        hot = hot_path_bytes(path)
        common = [f for f in hot if f in base_hot]
        if len(common) != 100:
            failed(f'{obj}: {len(common)} functions, not 100')
        inline = sum(hot[f] - base_hot[f] for f in common) / 100
        row = {'id': fid, 'what': what,
               'inline_text': inline,
               'ool_text': (t['text'] - base['text']) / 100 - inline}
        for k in ('data', 'strings', 'entries', 'other'):
            row[k] = (t[k] - base[k]) / 100
        row['total'] = sum(row[k] for k in FP_COLS)
        row['sections'] = {n: (s - base_secs.get(n, 0)) / 100
                           for n, s in sorted(secs.items())
                           if s != base_secs.get(n, 0)}
        rows.append(row)
    return {'rows': rows}


# --- native -----------------------------------------------------------------

def native(path):
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        failed(f'native harness: {e}')
        return {'rows': []}
    cases = {c['id']: c for c in data['cases']}
    base = cases.get('n_none', {}).get('tsc')
    rows = []
    for c in data['cases']:
        row = dict(c)
        if c['id'] == 'n_none':
            row['net'] = None
        elif 'net' not in c:	# the median of the per-round differences
            row['net'] = None if base is None else c['tsc'] - base
        rows.append(row)
    data['rows'] = rows
    return data


# --- report -----------------------------------------------------------------

def fmt(v, nd=1):
    if v is None:
        return '-'
    if isinstance(v, float) and not v.is_integer():
        return f'{v:.{nd}f}'
    return f'{int(v)}'


def get(rows, cid, key):
    for r in rows:
        if r.get('id') == cid:
            return r.get(key)
    return None


def targets(res):
    insn, arm, fp, nat = (res['insn']['rows'], res['arm']['rows'],
                          res['footprint']['rows'], res['native']['rows'])
    out = []

    def target(n, text, ok, detail):
        out.append({'n': n, 'target': text,
                    'met': bool(ok) if ok is not None else False,
                    'measurable': ok is not None, 'detail': detail})

    b, c, d = (get(insn, x, 'net') for x in 'bcd')
    ok = None if None in (b, c, d) else (b <= c and b < d)
    target(1, 'dormant marker <= dormant tracepoint, < classic marker '
           '(net insns)', ok,
           f'marker {fmt(b)}, tracepoint {fmt(c)}, classic {fmt(d)}')

    f, h, j = (get(insn, x, 'net') for x in ('f', 'h', 'j'))
    ok = None if None in (f, h, j) else (f <= h and f < j / 10)
    target(2, 'active marker, 1 probe, <= active tracepoint, < 1/10 '
           'kprobe (net insns)', ok,
           f'marker {fmt(f)}, tracepoint {fmt(h)}, kprobe {fmt(j)} '
           f'(1/10: {fmt(j / 10 if j else None)})')

    on, direct = get(nat, 'n_marker_on', 'net'), get(nat, 'n_direct', 'net')
    raw_on, raw_d = get(nat, 'n_marker_on', 'tsc'), get(nat, 'n_direct', 'tsc')
    ok = None if None in (on, direct) else on <= 1.5 * direct
    target(3, 'active marker natively <= 1.5x a direct call of the probe '
           '(net TSC)', ok,
           f'marker {fmt(on, 2)}, direct call {fmt(direct, 2)}, ratio '
           f'{fmt(on / direct if on and direct else None, 2)} (whole call: '
           f'{fmt(raw_on / raw_d if raw_on and raw_d else None, 2)})')

    g_ms, k_ms = get(arm, 'glob_on', 'ms'), get(arm, 'keys_on', 'ms')
    ipis, pokes = get(arm, 'glob_on', 'ipis'), get(arm, 'glob_on', 'pokes')
    sites = 1000
    limit = 3 * math.ceil(sites / 256) + 6
    ok = None if None in (g_ms, k_ms, ipis) else \
        (g_ms < k_ms / 10 and ipis <= limit)
    target(4, 'arm 1000 markers in < 1/10 of 1000 keys one by one, IPIs '
           f'<= {limit}', ok,
           f'markers {fmt(g_ms)} ms, {fmt(ipis)} IPIs, {fmt(pokes)} pokes; '
           f'keys {fmt(k_ms)} ms (1/10: {fmt(k_ms / 10 if k_ms else None)}), '
           f'{fmt(get(arm, "keys_on", "ipis"))} IPIs; under -icount: '
           f'markers {fmt(get(arm, "glob_on", "icount_ms"))} ms, keys '
           f'{fmt(get(arm, "keys_on", "icount_ms"))} ms')

    m, te, dd = (get(fp, x, 'total') for x in ('marker', 'trace_event',
                                               'dyndbg'))
    ok = None if None in (m, te, dd) else (m <= te / 5 and m <= dd)
    target(5, 'bytes per marker <= 1/5 TRACE_EVENT, <= 1 dyndbg callsite '
           'and its jump', ok,
           f'marker {fmt(m)}, TRACE_EVENT {fmt(te)} (1/5: '
           f'{fmt(te / 5 if te else None)}), dyndbg {fmt(dd)}')

    rec, tp = get(insn, 'k_rec', 'net'), get(insn, 'k_printk', 'net')
    ok = None if None in (rec, tp) else rec <= tp
    target(6, 'marker event, 3 ints (set_marker) <= trace_printk (net '
           'insns)', ok,
           f'marker event (k_rec) {fmt(rec)}, trace_printk (k_printk) '
           f'{fmt(tp)}')

    g2, g3, h2, h3 = (get(insn, x, 'net') for x in ('g', 'g3', 'h2', 'h3'))
    ok = None if None in (g2, g3, h2, h3) else (g2 <= h2 and g3 <= h3)
    target(7, 'N direct probes on a marker <= N probes on a tracepoint, '
           'N = 2, 3 (net insns)', ok,
           f'N=2: marker {fmt(g2)}, tracepoint {fmt(h2)}; N=3: marker '
           f'{fmt(g3)}, tracepoint {fmt(h3)}')

    def vs(x, y):
        """marker event x against TRACE_EVENT y"""
        if None in (x, y):
            return f'marker event {fmt(x)}, TRACE_EVENT {fmt(y)}'
        return f'marker event {fmt(x)}, TRACE_EVENT {fmt(y)} ' \
            f'({x - y:+.0f}, {100 * x / y if y else 0:.0f}%)'

    em, et, pm, pt, ep = (get(insn, x, 'net') for x in
                          ('ev_mark', 'ev_te', 'pf_mark', 'pf_te', 'ev_prk'))
    ok = None if None in (em, et, pm, pt) else (em <= et and pm <= pt)
    target(8, 'marker event <= TRACE_EVENT, same fields: ftrace (a <= b) '
           'and perf counting (d) (net insns)', ok,
           f'ftrace (ev_mark, ev_te): {vs(em, et)}; perf (pf_mark, '
           f'pf_te): {vs(pm, pt)}')
    ok = None if None in (em, ep) else em <= ep / 2
    target(9, 'marker event <= 1/2 trace_printk of the same format '
           '(a <= c/2, net insns)', ok,
           f'marker event (ev_mark) {fmt(em)}, trace_printk (ev_prk) '
           f'{fmt(ep)} (1/2: {fmt(ep / 2 if ep else None)})')
    im, it, ipm, ipt = (get(insn, x, 'net') for x in
                        ('ip_mark', 'ip_te', 'ip_pf_mark', 'ip_pf_te'))
    ok = None if None in (im, it, ipm, ipt) else (im <= it and ipm <= ipt)
    target(10, 'marker event with a %pI4 field <= TRACE_EVENT with '
           '__array(u8, addr, 4): ftrace (e <= f) and perf (g) (net insns)',
           ok, f'ftrace (ip_mark, ip_te): {vs(im, it)}; perf (ip_pf_mark, '
           f'ip_pf_te): {vs(ipm, ipt)}')
    return out


def table(res):
    """The table as lines of at most 80 columns."""
    L = []
    meta = res['meta']
    L.append(f'make bench, {meta["date"]}, {meta["host"]}')
    L.append(f'{meta["cpu"]}; Linux {meta["kernel"]}; {meta["cc"]}')
    if meta.get('smoke'):
        L.append('SMOKE RUN: few iterations, the figures mean little')
    L.append('')
    ins = res['insn']
    it = next((r for r in ins['rows'] if r.get('iters')), {})
    L.append('1. Instructions per call in the kernel: QEMU -icount shift=0, '
             '1 vCPU,')
    L.append(f'   loops of {it.get("iters", "?")} calls, median of '
             f'{it.get("reps", "?")}, net = minus case a')
    L.append(f'   {"case":8} {"what":46} {"raw":>9} {"net":>9}')
    for r in ins['rows']:
        if r['id'] == 'ev_a':
            L.append('   the event cases: one event of "pid %d len %lu comm '
                     '%s" a call; net: minus ev_a')
        if r['id'] == 'ip_a':
            L.append('   the %pI4 cases: one event of "addr %pI4 port %u" a '
                     'call; net: minus ip_a')
        L.append(f'   {r["id"]:8} {r["what"]:46} {fmt(r["raw"]):>9} '
                 f'{fmt(r["net"]):>9}')
    for r in ins['rows']:
        if r.get('info'):
            L.append(f'   {r["id"]}: {r["info"]}')
    if ins.get('recorder'):
        L.append(f'   k_rec: {ins["recorder"]["hits"]} events recorded, '
                 f'{ins["recorder"]["missed"]} dropped')
    for cid, e in ins.get('events', {}).items():
        perf = ins.get('perf', {}).get(cid)
        L.append(f'   {cid}: {e["entries"]} records, {e["overrun"]} '
                 'overwritten' + (f', perf count {perf}'
                                  if perf is not None else ''))
        if e['first']:
            L += textwrap.wrap(e['first'], 80, initial_indent=' ' * 6,
                               subsequent_indent=' ' * 8)
    fm = ins.get('formats', {})
    if ins.get('taint') is not None:
        L.append(f'   after the cases: taint {ins["taint"]} (W would be '
                 f'{1 << 9}), trace_printk banner lines: '
                 f'{fm.get("banner")}')
    if fm.get('ev_mark'):
        L.append('   fields: marker event ' + '; '.join(fm['ev_mark']) +
                 ('' if fm.get('ev_mark') == fm.get('ev_te')
                  else '; TRACE_EVENT ' + '; '.join(fm.get('ev_te') or [])))
    L.append('')
    nat = res['native']
    L.append('2. Native, host CPU, userspace build of the real site code: '
             'TSC ticks')
    L.append(f'   per call, median of {nat.get("rounds", "?")} rounds of '
             f'{nat.get("iterations", "?")} calls; net: median of the')
    L.append('   difference to n_none in the same round')
    cnt = nat.get('counters')
    L.append(f'   {"case":13} {"what":37} {"raw":>7} {"net":>7}' +
             (f' {"cycles":>7} {"insns":>7}' if cnt else ''))
    for r in nat['rows']:
        L.append(f'   {r["id"]:13} {r["what"]:37} {fmt(r["tsc"], 2):>7} '
                 f'{fmt(r["net"], 2):>7}' +
                 (f' {fmt(r.get("cycles"), 2):>7} '
                  f'{fmt(r.get("instructions"), 2):>7}' if cnt else ''))
    if not cnt:
        L.append('   (no hardware cycle or instruction counter on this host)')
    L.append('')
    arm = res['arm']
    reps = next((r['reps'] for r in arm['rows'] if r.get('reps')), '?')
    L.append('3. Arming, 2 vCPUs: ms = wall time in the guest (TCG), icount '
             '= the same')
    L.append('   under -icount shift=0 (1 ns per guest instruction), median '
             f'of {reps}; IPIs =')
    L.append('   growth of the CAL line of /proc/interrupts; seq, batch, '
             'pokes: markers/stats')
    L.append(f'   {"operation":34} {"ms":>7} {"icount":>7} {"IPIs":>5} '
             f'{"seq":>4} {"batch":>5} {"pokes":>5}')
    for r in arm['rows']:
        L.append(f'   {r["what"]:34} {fmt(r.get("ms")):>7} '
                 f'{fmt(r.get("icount_ms")):>7} '
                 f'{fmt(r.get("ipis")):>5} {fmt(r.get("sequences")):>4} '
                 f'{fmt(r.get("batches")):>5} {fmt(r.get("pokes")):>5}')
    for r in arm['rows']:
        if r.get('kernel_ms') is not None:
            L.append(f'   {r["id"]}: {fmt(r["kernel_ms"])} ms measured in '
                     'the kernel')
    L.append('')
    L.append('4. Footprint per item, bytes: built objects minus the same 100 '
             'functions')
    L.append('   without sites, loaded (SHF_ALLOC) sections only')
    L.append(f'   {"what":28} {"inline":>6} {"ool":>6} {"data":>6} '
             f'{"str":>6} {"entries":>7} {"other":>6} {"total":>6}')
    for r in res['footprint']['rows']:
        L.append(f'   {r["what"]:28} ' + ' '.join(
            f'{fmt(r[k]):>{7 if k == "entries" else 6}}' for k in FP_COLS) +
            f' {fmt(r["total"]):>6}')
    L.append('   inline: hot path; ool: rest of the text; entries: __markers*,'
             ' __jump_table,')
    L.append('   __dyndbg, __tracepoints*, _ftrace_events...; other: ORC, '
             'call/return site')
    L.append('   lists, __mcount_loc')
    L += prof.table(res.get('profile'))
    return L

def plot(res, path):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('bench: no matplotlib, no plot (install python3-matplotlib)')
        return False
    fig, ax = plt.subplots(2, 2, figsize=(14, 10))
    rows = [r for r in res['insn']['rows']
            if r.get('net') is not None and r['id'] != 'a']
    a = ax[0][0]
    a.barh([f'{r["id"]} {r["what"]}' for r in rows],
           [max(r['net'], 0.5) for r in rows], color='tab:blue')
    a.set_xscale('log')
    a.invert_yaxis()
    a.set_title('kernel: instructions per call, net (log scale)')
    a.tick_params(axis='y', labelsize=7)
    rows = [r for r in res['native']['rows'] if r.get('net') is not None]
    a = ax[0][1]
    a.barh([r['what'] for r in rows], [r['net'] for r in rows],
           color='tab:orange')
    a.invert_yaxis()
    a.set_title('native: TSC ticks per call, net of the unmarked function')
    a.tick_params(axis='y', labelsize=8)
    rows = [r for r in res['arm']['rows'] if r.get('ms') is not None]
    a = ax[1][0]
    y = list(range(len(rows)))
    a.barh([i - 0.2 for i in y], [r['ms'] for r in rows], height=0.4,
           color='tab:green', label='wall time (TCG)')
    a.barh([i + 0.2 for i in y], [r.get('icount_ms') or 0 for r in rows],
           height=0.4, color='tab:olive', label='-icount (1 ns/insn)')
    a.set_yticks(y, [r['what'] for r in rows])
    a.set_xscale('log')
    a.invert_yaxis()
    for i, r in enumerate(rows):
        a.text(r['ms'], i - 0.2, f' {fmt(r["ipis"])} IPIs', va='center',
               fontsize=7)
    a.legend(fontsize=7)
    a.set_title('arming 1000 sites: ms in the guest (log scale)')
    a.tick_params(axis='y', labelsize=7)
    rows = res['footprint']['rows']
    a = ax[1][1]
    left = [0] * len(rows)
    for k in FP_COLS:
        vals = [max(r[k], 0) for r in rows]
        a.barh([r['what'] for r in rows], vals, left=left, label=k)
        left = [x + y for x, y in zip(left, vals)]
    a.invert_yaxis()
    a.legend(fontsize=7)
    a.set_title('footprint: bytes per item')
    a.tick_params(axis='y', labelsize=8)
    fig.suptitle(f'make bench, {res["meta"]["date"]}'
                 + (' (SMOKE)' if res['meta'].get('smoke') else ''))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return True


def write_csv(res, path):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['part', 'id', 'what', 'metric', 'value', 'unit'])
        for r in res['insn']['rows']:
            for k in ('raw', 'net'):
                w.writerow(['kernel', r['id'], r['what'], k, r.get(k),
                            'instructions/call'])
        for r in res['native']['rows']:
            for k, u in (('tsc', 'tsc ticks/call'), ('net', 'tsc ticks/call'),
                         ('cycles', 'cycles/call'),
                         ('instructions', 'instructions/call')):
                if r.get(k) is not None:
                    w.writerow(['native', r['id'], r['what'], k, r[k], u])
        for r in res['arm']['rows']:
            for k, u in (('ms', 'ms'), ('ipis', 'IPIs'),
                         ('sequences', 'count'), ('batches', 'count'),
                         ('pokes', 'count'), ('kernel_ms', 'ms'),
                         ('icount_ms', 'ms (-icount)'),
                         ('icount_ipis', 'IPIs (-icount)')):
                if r.get(k) is not None:
                    w.writerow(['arming', r['id'], r['what'], k, r[k], u])
        for r in res['footprint']['rows']:
            for k in FP_COLS + ['total']:
                w.writerow(['footprint', r['id'], r['what'], k, r[k],
                            'bytes/item'])
        for t in res['targets']:
            w.writerow(['target', t['n'], t['target'], 'met',
                        int(t['met']), t['detail']])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--insn')
    ap.add_argument('--arm')
    ap.add_argument('--arm-icount')
    ap.add_argument('--native')
    ap.add_argument('--objs')
    ap.add_argument('--profile')
    ap.add_argument('--failed', action='append', default=[],
                    help='a failure found by bench.sh')
    ap.add_argument('--out', required=True)
    ap.add_argument('--meta', default='{}')
    ap.add_argument('--smoke', action='store_true')
    ap.add_argument('--no-plot', action='store_true')
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = json.loads(args.meta)
    for f in args.failed:
        failed(f)
    meta['smoke'] = args.smoke
    res = {'meta': meta,
           'insn': parse_insn(read_log(args.insn)),
           'arm': parse_arm(read_log(args.arm), read_log(args.arm_icount)
                            if args.arm_icount else None),
           'native': native(args.native),
           'footprint': footprint(args.objs),
           'profile': prof.read(args.profile)}
    res['targets'] = targets(res)
    res['failures'] = FAILURES
    lines = table(res)
    lines.append('')
    lines.append('Targets' + (' (smoke run: not enforced)' if args.smoke
                              else ''))
    for t in res['targets']:
        state = 'met' if t['met'] else 'missed'
        if not t['measurable']:
            state = 'missed (not measured)'
        lines.append(f'   {t["n"]}. {state:7} {t["target"]}')
        lines += textwrap.wrap(t['detail'], 80, initial_indent=' ' * 6,
                               subsequent_indent=' ' * 6)
    for f in FAILURES:
        lines.append(f'FAILED: {f}')
    met = sum(t['met'] for t in res['targets'])
    last = f'bench: {met} of {len(res["targets"])} targets met'
    (out / 'results.json').write_text(json.dumps(res, indent=1) + '\n')
    write_csv(res, out / 'results.csv')
    if not args.no_plot and plot(res, out / 'bench.png'):
        lines.append(f'plot: {out / "bench.png"}; data: {out / "results.csv"}, '
                     f'{out / "results.json"}')
    (out / 'table.txt').write_text('\n'.join(lines + [last]) + '\n')
    print('\n'.join(lines))
    print(last)
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())

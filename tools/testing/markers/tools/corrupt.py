#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Feed truncated and corrupted copies of an ELF file to `markers list`.

usage: corrupt.py [--max N] TOOL WORKDIR CASE FILE

CASE is one of
  truncate  the file cut at many lengths: every length in the ELF header,
            each section's start and end, the end of each section header,
            and evenly spaced others
  header    random bytes of the ELF header changed
  shdrs     random bytes of the section header table changed
  markers   random bytes of the marker sections (__markers, its
            relocations, __markers_strings) and of the symbol table changed

--max N tries N of those copies, spread evenly (for a large vmlinux).
Each copy is given to `python3 -S -X dev -W error TOOL list` (-S: the
standard library alone, and a faster start), and to `diff`
against the intact file for one copy in eight. The only acceptable
outcomes: nothing on stderr and exit status 0 (1 or 2 too for diff: the
change left a valid file), or exit status 3 with one line "markers: ..."
on stderr. Anything
else (a traceback, a warning, another status, a hang) is printed with the
case that caused it, which is kept in WORKDIR; the exit status is then 1.
The random changes are the same on every run (a fixed seed).
"""
import concurrent.futures
import os
import random
import struct
import subprocess
import sys

CASES_PER_KIND = {'header': 48, 'shdrs': 64, 'markers': 96}
MARKER_SECTIONS = ('__markers', '.rela__markers', '__markers_strings', '.symtab')


def sections(data):
    """{name: (offset, size)} of an intact little-endian ELF64 file."""
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shnum, shstrndx = struct.unpack_from('<HH', data, 0x3c)
    heads = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + 64 * i)
             for i in range(shnum)]
    strtab = heads[shstrndx][4]
    found = {}
    for h in heads:
        end = data.index(b'\0', strtab + h[0])
        found[data[strtab + h[0]:end].decode()] = (h[4], h[5] if h[1] != 8 else 0)
    return shoff, shnum, found


def truncations(data):
    shoff, shnum, secs = sections(data)
    lengths = set(range(0, 65)) | {shoff + 64 * i for i in range(shnum + 1)}
    for off, size in secs.values():
        lengths |= {off, off + size}
    step = max(1, len(data) // 32)
    lengths |= set(range(0, len(data), step)) | {len(data) - 1}
    return sorted(n for n in lengths if 0 <= n < len(data))


def flips(data, kind, rng):
    """[(offset, new bytes)], the changes of one case each."""
    shoff, shnum, secs = sections(data)
    if kind == 'header':
        spans = [(0, 64)]
    elif kind == 'shdrs':
        spans = [(shoff, 64 * shnum)]
    else:
        spans = [secs[n] for n in MARKER_SECTIONS if n in secs and secs[n][1]]
    cases = []
    for _ in range(CASES_PER_KIND[kind]):
        start, size = rng.choice(spans)
        changes = []
        for _ in range(rng.choice((1, 1, 2, 4))):
            off = start + rng.randrange(size)
            value = rng.choice((0x00, 0xff, 0x7f, 0x80, rng.randrange(256)))
            if value == data[off]:
                value ^= 0x01
            changes.append((off, bytes((value,))))
        cases.append(changes)
    return cases


def judge(proc, valid):
    """None if the outcome is acceptable, else what is wrong with it."""
    err = proc.stderr
    if proc.returncode in valid and not err:
        return None
    if proc.returncode == 3 and err.startswith('markers: ') and \
            err.count('\n') == 1 and err.endswith('\n') and 'Traceback' not in err:
        return None
    return f'exit {proc.returncode}, stderr {err[-300:]!r}'


def run_tool(tool, args):
    cmd = [sys.executable, '-S', '-X', 'dev', '-W', 'error', tool] + args
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, 'timeout', '', 'timed out\n')


def try_case(tool, intact, path, content, with_diff):
    with open(path, 'wb') as f:
        f.write(content)
    problems = []
    runs = [(['list', path], (0,)), (['diff', intact, path], (0, 1, 2))]
    for args, valid in runs[:1 + with_diff]:
        why = judge(run_tool(tool, args), valid)
        if why:
            problems.append(f'{args[0]} {path}: {why}')
    if not problems:
        os.unlink(path)
    return problems


def contents(data, case, rng):
    if case == 'truncate':
        return [data[:n] for n in truncations(data)]
    out = []
    for changes in flips(data, case, rng):
        copy = bytearray(data)
        for off, value in changes:
            copy[off:off + len(value)] = value
        out.append(bytes(copy))
    return out


def spread(jobs, most):
    if most is None or len(jobs) <= most:
        return jobs
    return [jobs[i * len(jobs) // most] for i in range(most)]


def main(argv):
    most = None
    if argv[:1] == ['--max'] and len(argv) > 1 and argv[1].isdigit():
        most, argv = int(argv[1]), argv[2:]
    if len(argv) != 4:
        sys.exit(__doc__)
    tool, work, case, intact = argv
    with open(intact, 'rb') as f:
        data = f.read()
    rng = random.Random(f'markers-{case}-13')
    os.makedirs(work, exist_ok=True)
    base = os.path.join(work, f'{os.path.basename(intact)}.{case}')
    jobs = spread(contents(data, case, rng), most)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda a: try_case(tool, intact, f'{base}.{a[0]}', a[1],
                                              a[0] % 8 == 0),
                           enumerate(jobs))
        problems = [p for r in results for p in r]
    for p in problems[:20]:
        print(f'# {p}')
    print(f'# {case} {os.path.basename(intact)}: {len(jobs)} copies, '
          f'{len(problems)} unacceptable outcome(s)')
    return 1 if problems or not jobs else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

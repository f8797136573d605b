#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Measure the dormant path of marked functions in a built module.

Disassembles mt_pathlen.ko (x86-64 or aarch64, told by its ELF header)
and follows each function from its entry along the path taken while
markers and tracepoints are off: straight on through NOPs and not-taken
conditional branches, through unconditional jumps, up to the return (or a
tail call). Prints the paths, then KTAP results for what markers
promise (Documentation/markers.txt, "Cost model"):

  - f with a marker runs exactly one instruction more than f unmarked, a NOP;
  - g with a marker adds at most a third of what a tracepoint adds;
  - h, whose marker's argument is computed only if trace_mark_enabled(),
    runs exactly one instruction more than h unmarked, a NOP. Not on
    arm64: with frame pointers GCC 12 sets up h's frame record (and PAC)
    at its entry, on the dormant path too, for the call the test guards,
    as it does for a tracepoint's trace_<tp>_enabled(); there h must add
    one NOP and at most what trace_<tp>_enabled() adds.
  - arm64 with the shadow call stack (functions push x30 through x18):
    no marked function stores x18, the shadow stack's pointer, to memory.

usage: pathlen.py MODULE.ko
"""
import re
import subprocess
import sys

INSN = re.compile(r'^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$')
RELOC = re.compile(r'^\s*[0-9a-f]+:\s+R_(?:X86_64|AARCH64)_\S+\s+(\S+)')
FUNC = re.compile(r'^[0-9a-f]+ <(\S+)>:$')


# ELF e_machine -> (objdump, unconditional jump mnemonic)
MACHINES = {0x3e: ('objdump', 'jmp'),
            0xb7: ('aarch64-linux-gnu-objdump', 'b')}


def machine(path):
    """objdump and jump mnemonic for the object's architecture"""
    with open(path, 'rb') as f:
        head = f.read(20)
    if head[:4] != b'\x7fELF' or head[5] != 1:
        raise SystemExit(f'{path}: not a little-endian ELF object')
    e_machine = int.from_bytes(head[18:20], 'little')
    if e_machine not in MACHINES:
        raise SystemExit(f'{path}: ELF machine {e_machine:#x} unknown here')
    return MACHINES[e_machine]


def disassemble(path, objdump):
    """{function: [(addr, mnemonic, operands, reloc_symbol or None)]}"""
    out = subprocess.run([objdump, '-dr', '--no-show-raw-insn', path],
                         check=True, capture_output=True, text=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
            continue
        if cur is None:
            continue
        m = RELOC.match(line)
        if m and cur:
            a, mn, ops, _ = cur[-1]
            cur[-1] = (a, mn, ops, m.group(1))
            continue
        m = INSN.match(line)
        if m:
            mn, ops = m.group(2), m.group(3)
            if mn in ('cs', 'ds', 'data16'):	# prefixes of long NOPs
                parts = ops.split()
                while parts and parts[0] in ('cs', 'ds', 'data16'):
                    parts.pop(0)
                mn, ops = parts[0], ' '.join(parts[1:])
            cur.append((int(m.group(1), 16), mn, ops, None))
    return funcs


def is_nop(mn, ops):
    return mn.startswith('nop') or (mn == 'xchg' and ops == '%ax,%ax')


def dormant_path(insns, jump):
    """The instructions run from entry to return while everything is off.

    @jump is the unconditional jump's mnemonic (x86 jmp, arm64 b); the
    conditional ones (jcc, b.cond, cbz, tbz...) are not taken.
    """
    index = {a: i for i, (a, _, _, _) in enumerate(insns)}
    path, i, seen = [], 0, set()
    while i < len(insns) and i not in seen:
        seen.add(i)
        addr, mn, ops, reloc = insns[i]
        path.append((mn, ops))
        if mn.startswith('ret'):
            break
        if mn == jump:
            # x86's return thunk is a return; on arm64 a b with a
            # relocation is a tail call: the path leaves the function
            if reloc and ('return_thunk' in reloc or jump == 'b'):
                break
            target = int(ops.split()[0], 16)
            if target not in index:
                raise SystemExit(f'jump out of the function at {addr:#x}')
            i = index[target]
            continue
        i += 1
    return path


def stores_x18(mn, ops):
    """Whether an arm64 store writes x18 itself (not through it)."""
    if mn not in ('str', 'stp', 'stur'):
        return False
    sources = ops.split('[')[0]
    return re.search(r'\bx18\b', sources) is not None


def shadow_call_stack(funcs):
    """Whether the module was built with the arm64 shadow call stack."""
    return any(mn == 'str' and ops.startswith('x30, [x18], #8')
               for insns in funcs.values() for _, mn, ops, _ in insns)


def main():
    objdump, jump = machine(sys.argv[1])
    funcs = disassemble(sys.argv[1], objdump)
    n = {}
    for name in ('f_none', 'f_marker', 'f_tracepoint',
                 'g_none', 'g_marker', 'g_tracepoint',
                 'h_none', 'h_enabled', 'h_tracepoint'):
        path = dormant_path(funcs['mt_pathlen_' + name], jump)
        n[name] = path
        print(f'# {name:13} {len(path):3} instructions: ' +
              '; '.join(mn for mn, _ in path))
    extra_f = len(n['f_marker']) - len(n['f_none'])
    extra_g = len(n['g_marker']) - len(n['g_none'])
    tp_f = len(n['f_tracepoint']) - len(n['f_none'])
    tp_g = len(n['g_tracepoint']) - len(n['g_none'])
    nops = sum(is_nop(mn, ops) for mn, ops in n['f_marker']) - \
        sum(is_nop(mn, ops) for mn, ops in n['f_none'])
    extra_h = len(n['h_enabled']) - len(n['h_none'])
    tp_h = len(n['h_tracepoint']) - len(n['h_none'])
    nops_h = sum(is_nop(mn, ops) for mn, ops in n['h_enabled']) - \
        sum(is_nop(mn, ops) for mn, ops in n['h_none'])
    print(f'# added on the dormant path: f marker {extra_f}, tracepoint '
          f'{tp_f}; g marker {extra_g}, tracepoint {tp_g}; h '
          f'trace_mark_enabled() {extra_h}, trace_<tp>_enabled() {tp_h}')
    checks = [
        ('f_marker_adds_exactly_one_nop', extra_f == 1 and nops == 1),
        ('g_marker_adds_at_most_a_third_of_tracepoint',
         3 * extra_g <= tp_g),
        ('tracepoint_measured_costlier', tp_f > extra_f),
    ]
    if jump == 'b':
        checks.append(('h_enabled_test_adds_one_nop_and_at_most_tp_enabled',
                       nops_h == 1 and extra_h <= tp_h))
    else:
        checks.append(('h_enabled_test_adds_exactly_one_nop',
                       extra_h == 1 and nops_h == 1))
    skips = {}
    if jump == 'b':
        spills = [f'{name}: {mn} {ops}' for name, insns in funcs.items()
                  if name.endswith(('_marker', '_enabled'))
                  for _, mn, ops, _ in insns if stores_x18(mn, ops)]
        name = 'x18_not_spilled_with_shadow_call_stack'
        if not shadow_call_stack(funcs):
            skips[name] = 'no shadow call stack'
        for spill in spills:
            print(f'# x18 stored: {spill}')
        checks.append((name, not spills or name in skips))
    print('KTAP version 1')
    print(f'1..{len(checks)}')
    for i, (name, ok) in enumerate(checks, 1):
        skip = f' # SKIP {skips[name]}' if name in skips else ''
        print(f'{"ok" if ok else "not ok"} {i} {name}{skip}')
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == '__main__':
    sys.exit(main())

# SPDX-License-Identifier: GPL-2.0
"""make bench, instruction profile: gdb script (gdb -batch -nx -x prof_gdb.py).

Attaches to the QEMU gdb stub of bench.sh's "prof" boot (guest.sh
mb.phase=prof: mb_bench.ko runs each event case with run_case, a few
calls each) and single-steps every call of the cases' functions
(mb_fn_ev_*), from the entry to the return, writing each instruction's
address. prof.py turns that into instructions per function.

Environment: MBPROF_PORT (the stub's TCP port on 127.0.0.1), MBPROF_KO
(the mb_bench.ko that the guest loads), MBPROF_MAP (the System.map of the
kernel that boots), MBPROF_OUT (the output file). Output lines:
  BASE <address of the module's .text>
  CASE <id>            a write to run_case (what the next calls belong to)
  CALL <function> <n>  n instructions follow, one address (hex) a line
  TRUNC <function>     a call longer than MAX_STEPS (not followed further)
The module's address is found at the first write to a parameter: from
param_attr_store(), single steps up to the first instruction in the
module area, the entry of mb_set_run_case().
"""
import os
import subprocess
import time

import gdb  # pylint: disable=import-error

MOD_LO, MOD_HI = 0xffffffffa0000000, 0xffffffffff000000
MAX_STEPS = 200000
FUNCS = ('mb_fn_ev_none', 'mb_fn_ev_marker', 'mb_fn_ev_te', 'mb_fn_ev_printk',
         'mb_fn_ip_marker', 'mb_fn_ip_te')
ENDBR64 = b'\xf3\x0f\x1e\xfa'


def text_symbols(ko):
    """{name: offset in .text} of the module's functions"""
    out = subprocess.run(['objdump', '-t', ko], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for ln in out.splitlines():
        w = ln.split()
        if len(w) >= 6 and w[-3] == '.text' and 'F' in w[1:-3]:
            syms[w[-1]] = int(w[0], 16)
    return syms


def kernel_symbol(system_map, name):
    with open(system_map, encoding='ascii') as f:
        for ln in f:
            w = ln.split()
            if len(w) == 3 and w[2] == name:
                return int(w[0], 16)
    raise gdb.GdbError(f'no {name} in {system_map}')


def reg(name):
    return int(gdb.parse_and_eval(f'${name}')) & 0xffffffffffffffff


def read(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def read_str(addr, n=32):
    s = read(addr, n)
    return s.split(b'\0')[0].decode(errors='replace').strip()


def stepi():
    gdb.execute('stepi', to_string=True)
    return reg('pc')


def trace_call(out, name):
    """single-step one call, from its entry to its return"""
    rsp0 = reg('rsp')
    ret = int.from_bytes(read(rsp0, 8), 'little')
    pcs = []
    while len(pcs) < MAX_STEPS:
        pc = stepi()
        pcs.append(pc)
        if pc == ret and reg('rsp') == rsp0 + 8:
            break
    else:
        out.write(f'TRUNC {name}\n')
        return
    out.write(f'CALL {name} {len(pcs)}\n')
    out.write(''.join(f'{pc:x}\n' for pc in pcs))


def main():
    ko = os.environ['MBPROF_KO']
    syms = text_symbols(ko)
    pas = kernel_symbol(os.environ['MBPROF_MAP'], 'param_attr_store')
    out = open(os.environ['MBPROF_OUT'], 'w', encoding='ascii')
    gdb.execute('set pagination off')
    gdb.execute('set confirm off')
    gdb.execute('set architecture i386:x86-64')
    for tries in range(120):	# QEMU may not listen yet
        try:
            gdb.execute(f'target remote 127.0.0.1:{os.environ["MBPROF_PORT"]}',
                        to_string=True)
            break
        except gdb.error:
            if tries == 119:
                raise
            time.sleep(0.5)
    bp = gdb.Breakpoint(f'*{pas:#x}', internal=True)
    gdb.execute('continue', to_string=True)
    if reg('pc') != pas:
        raise gdb.GdbError(f'stopped at {reg("pc"):#x}, not param_attr_store')
    bp.delete()
    for _ in range(MAX_STEPS):
        pc = stepi()
        if MOD_LO <= pc < MOD_HI:
            break
    else:
        raise gdb.GdbError('param_attr_store() never reached the module')
    base = pc - syms['mb_set_run_case']
    for f in FUNCS:
        if read(base + syms[f], 4) != ENDBR64:
            raise gdb.GdbError(f'{f} is not at {base + syms[f]:#x}: the '
                               f'first module code reached was at {pc:#x}')
    out.write(f'BASE {base:x}\n')
    out.write(f'CASE {read_str(reg("rdi"))}\n')
    at = {base + syms['mb_set_run_case']: None}
    at.update({base + syms[f]: f for f in FUNCS})
    for a in at:
        gdb.Breakpoint(f'*{a:#x}', internal=True)
    calls = 0
    while True:
        try:
            gdb.execute('continue', to_string=True)
            pc = reg('pc')
        except gdb.error:
            break		# the guest rebooted: QEMU exited
        if pc not in at:
            out.write(f'STOP {pc:x}\n')
            continue
        if at[pc] is None:
            out.write(f'CASE {read_str(reg("rdi"))}\n')
        else:
            trace_call(out, at[pc])
            calls += 1
        out.flush()
    out.close()
    print(f'prof_gdb: {calls} calls profiled')


try:
    main()
except (gdb.error, gdb.GdbError, OSError, KeyError) as e:
    print(f'prof_gdb: {e}')
    gdb.execute('quit 1')

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make an x86-64 module look like an arm64 one, for the markers tool.

usage: as_arm64.py IN.ko OUT.ko

Sets e_machine to EM_AARCH64 and turns the R_X86_64_64 relocations of
__markers into R_AARCH64_ABS64 (type 257), the relocation arm64 modules
use for the pointers of a marker site; nothing else changes, so `markers
list` must print the same for both files.
"""
import struct
import sys

EM_AARCH64, R_X86_64_64, R_AARCH64_ABS64, SHT_RELA = 183, 1, 257, 4


def main(src, dst):
    with open(src, 'rb') as f:
        data = bytearray(f.read())
    struct.pack_into('<H', data, 18, EM_AARCH64)
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shnum, = struct.unpack_from('<H', data, 0x3c)
    heads = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + 64 * i)
             for i in range(shnum)]
    strtab = heads[struct.unpack_from('<H', data, 0x3e)[0]][4]
    changed = 0
    for h in heads:
        target = heads[h[7]] if h[7] < shnum else None
        if h[1] != SHT_RELA or target is None:
            continue
        name_at = strtab + target[0]
        if data[name_at:data.index(b'\0', name_at)] != b'__markers':
            continue
        for off in range(h[4], h[4] + h[5], 24):
            info, = struct.unpack_from('<Q', data, off + 8)
            if info & 0xffffffff == R_X86_64_64:
                struct.pack_into('<Q', data, off + 8, (info >> 32) << 32 | R_AARCH64_ABS64)
                changed += 1
    if not changed:
        sys.exit(f'{src}: no R_X86_64_64 relocation of __markers')
    with open(dst, 'wb') as f:
        f.write(data)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])

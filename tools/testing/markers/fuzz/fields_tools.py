#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the kernel's fields of a marker's event with tools/markers' view.

For every seed of fuzz/corpus/fuzz_fields/, the fields that
marker_fields_parse() (kernel/trace/trace_markers_fields.c, run by the
fuzz_fields target with FUZZ_FIELDS_DUMP=1) gives a format the kernel
accepts must be the names and types that parse_fields() of
tools/markers/markers gives it: what `markers diff` calls a renamed or
retyped field is what tracefs, perf and BPF programs see.

usage: fields_tools.py FUZZ_FIELDS_BINARY MARKERS_TOOL SEED...
Prints one line per seed compared and per difference; exit status 1 if
any differs or a run fails.
"""
import importlib.machinery
import importlib.util
import os
import subprocess
import sys

# tools/markers names a string field by its C type, the format file by
# its layout
TYPES = {'__data_loc char[]': 'char[]', '__data_loc u8[]': 'u8[]'}


def load_tool(path):
    loader = importlib.machinery.SourceFileLoader('markers_tool', path)
    spec = importlib.util.spec_from_loader('markers_tool', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def kernel_fields(binary, seed):
    """(format bytes, [(name, type)] or None if refused) of one seed."""
    env = dict(os.environ, FUZZ_FIELDS_DUMP='1')
    run = subprocess.run([binary, seed], env=env, capture_output=True,
                         check=False)
    fmt, fields, refused = None, [], False
    for line in run.stdout.decode('ascii', 'replace').splitlines():
        word, _, rest = line.partition(' ')
        if word == 'FORMAT':
            if fmt is not None:
                break           # the same input run again
            fmt = bytes.fromhex(rest)
        elif word == 'ERROR':
            refused = True
        elif word == 'FIELD':
            name, _, ctype = rest.partition(' ')
            fields.append((name, TYPES.get(ctype, ctype)))
    if fmt is None:
        raise RuntimeError(f'{seed}: no output (exit {run.returncode})')
    return fmt, None if refused else fields


def main(argv):
    binary, tool_path, seeds = argv[1], argv[2], argv[3:]
    tool = load_tool(tool_path)
    failed = 0
    for seed in seeds:
        name = os.path.basename(seed)
        try:
            fmt, fields = kernel_fields(binary, seed)
        except RuntimeError as e:
            print(f'{name}: {e}')
            failed += 1
            continue
        if fields is None:
            print(f'{name}: refused by the kernel, not compared')
            continue
        try:
            text = fmt.decode('utf-8')
        except UnicodeDecodeError:
            print(f'{name}: not UTF-8, not compared')
            continue
        expected = tool.parse_fields(text)
        if expected != fields:
            print(f'{name}: format {text!r}: kernel {fields}, tools/markers {expected}')
            failed += 1
        else:
            print(f'{name}: {len(fields)} field(s) agree')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

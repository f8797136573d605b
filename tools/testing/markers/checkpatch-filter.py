#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Filter checkpatch.pl --show-types output through an allowlist.

usage: checkpatch.pl --strict --show-types PATCH | checkpatch-filter.py ALLOW

ALLOW lists "<file> <TYPE> reason" lines: message types accepted in one
file, each with its reason. Every message is printed, marked "allowed" or
"NOT ALLOWED"; the exit status is 1 if any is not allowed, or if
checkpatch printed no summary (it did not run).
"""
import re
import sys

MSG = re.compile(r'^(ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$')
# the file, and the line if the message is about one (not a file's mode)
WHERE = re.compile(r'^#\d+: FILE: ([^:]+)(?::(\d+):|$)')


def main():
    allowed = set()
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                path, kind = line.split()[:2]
                allowed.add((path, kind))
    lines = sys.stdin.read().splitlines()
    bad = 0
    summary = False
    for i, line in enumerate(lines):
        if line.startswith('total: '):
            summary = True
            print(line)
        m = MSG.match(line)
        if not m:
            continue
        where = WHERE.match(lines[i + 1]) if i + 1 < len(lines) else None
        path = where.group(1) if where else '(commit-message)'
        ok = (path, m.group(2)) in allowed
        loc = f'{path}:{where.group(2)}' if where and where.group(2) else path
        print(f'{"allowed    " if ok else "NOT ALLOWED"} {loc}: '
              f'{m.group(1)}:{m.group(2)}: {m.group(3)}')
        bad += not ok
    if not summary:
        print('checkpatch printed no summary')
        return 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

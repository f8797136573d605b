#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One line per item of a `markers list --json` or `markers diff --json`
document read on stdin, for tools-test.sh to compare with what it expects.

usage: summary.py list|diff|sites
  list   NAME FIELD:TYPE... | FUNCTION:FILE:LINE:NARGS... per marker
         (spaces in types become _)
  diff   "status N RESULT", then MARKER CHANGE COMPATIBLE [FIELD NEW_TYPE
         SITE_LINE] per change
  sites  the number of sites of all markers
"""
import json
import sys


def list_lines(doc):
    for m in doc['markers']:
        fields = [f"{f['name']}:{f['type'].replace(' ', '_')}" for f in m['fields']]
        sites = [f"{s['function']}:{s['file']}:{s['line']}:{s['nargs']}"
                 for s in m['sites']]
        yield ' '.join([m['name']] + fields + ['|'] + sites)


def diff_lines(doc):
    yield f"status {doc['status']} {doc['result']}"
    for c in doc['changes']:
        extra = [str(c[k]) for k in ('field', 'new_type') if k in c]
        extra += [str(c['site']['line'])] if 'site' in c else []
        yield ' '.join([c['marker'], c['change'], str(c['compatible'])] + extra)


def main(mode):
    doc = json.load(sys.stdin)
    if mode == 'sites':
        print(sum(len(m['sites']) for m in doc['markers']))
        return
    for line in {'list': list_lines, 'diff': diff_lines}[mode](doc):
        print(line)


if __name__ == '__main__':
    if len(sys.argv) != 2 or sys.argv[1] not in ('list', 'diff', 'sites'):
        sys.exit(__doc__)
    main(sys.argv[1])

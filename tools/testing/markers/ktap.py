#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count KTAP results in a console log, honestly.

Counting rules (the same for KUnit and for the in-VM scripts):
  * A top-level test (a KUnit suite, or one VM script) with subtests counts
    its subtests (the KUnit cases, the script's checks), each once.
    Deeper levels (parameters of a parameterized KUnit case) are not counted
    on their own: the case's own result line already covers them.
  * A top-level test without subtests counts itself as one test.
  * A top-level "not ok" whose subtests all passed adds one failure
    (e.g. a script exiting non-zero, a suite that failed outside its cases).
  * Missing results are failures: no plan at all, fewer results than a
    plan announced (a crash or a timeout cuts the log), a suite that never
    printed its own result line, a required end marker that never appeared,
    fewer tests than --min-tests.
  * "# SKIP" results are reported but counted neither passed nor failed.
"""
import argparse
import re
import sys

RESULT = re.compile(r'^( *)(ok|not ok) (\d+)(?: (?:- )?([^#]*?))?\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^( *)1\.\.(\d+)\s*(?:#.*)?$')
VERSION = re.compile(r'^( *)K?TAP version \d+')
SUBTEST = re.compile(r'^( *)# Subtest: (.*)$')
PRINTK_TIME = re.compile(r'^\[\s*\d+\.\d+\]\s?')


class Stage:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def fail(self, what, n=1):
        self.failed += n
        self.failures.append(what if n == 1 else f'{what} (x{n})')


def lines_of(path, begin, end):
    """Yield the lines of the region [begin, end) and whether end was seen."""
    with open(path, errors='replace') as f:
        text = [PRINTK_TIME.sub('', l.rstrip('\r\n').replace('\r', ''))
                for l in f]
    start = 0
    if begin:
        start = next((i + 1 for i, l in enumerate(text) if re.search(begin, l)), None)
        if start is None:
            return None, False
    stop, seen_end = len(text), False
    if end:
        for i in range(start, len(text)):
            if re.search(end, text[i]):
                stop, seen_end = i, True
                break
    return text[start:stop], seen_end


def parse(lines):
    """Return (plan or None, [top-level tests], unfinished children)."""
    plan, tests = None, []
    children, child_plan, suite = [], None, None
    for line in lines:
        m = VERSION.match(line)
        if m:
            continue
        m = PLAN.match(line)
        if m:
            depth = len(m.group(1)) // 4
            if depth == 0:
                plan = (plan or 0) + int(m.group(2))
            elif depth == 1:
                child_plan = int(m.group(2))
            continue
        m = SUBTEST.match(line)
        if m:
            if len(m.group(1)) // 4 == 1:
                suite = m.group(2).strip()
            continue
        m = RESULT.match(line)
        if not m:
            continue
        depth = len(m.group(1)) // 4
        ok = m.group(2) == 'ok'
        name = (m.group(4) or '').strip() or f'#{m.group(3)}'
        skip = bool(m.group(5)) and m.group(5).upper().startswith('SKIP')
        if depth == 1:
            children.append((name, ok, skip))
        elif depth == 0:
            tests.append(dict(name=name, ok=ok, skip=skip,
                              children=children, child_plan=child_plan))
            children, child_plan, suite = [], None, None
    unfinished = None
    if children or child_plan is not None:
        unfinished = dict(name=suite or '(unnamed)', children=children,
                          child_plan=child_plan)
    return plan, tests, unfinished


def count(stage, plan, tests, unfinished):
    def count_children(parent, children, child_plan):
        bad = 0
        for name, ok, skip in children:
            if skip:
                stage.skipped += 1
            elif ok:
                stage.passed += 1
            else:
                bad += 1
                stage.fail(f'{parent}.{name}')
        if child_plan is not None and len(children) < child_plan:
            stage.fail(f'{parent}: {child_plan - len(children)} of its '
                       f'{child_plan} planned results missing',
                       child_plan - len(children))
            bad += 1
        return bad

    for t in tests:
        if t['children'] or t['child_plan']:
            bad = count_children(t['name'], t['children'], t['child_plan'])
            if not t['ok'] and not t['skip'] and not bad:
                stage.fail(f"{t['name']}: not ok (its subtests passed)")
        elif t['skip']:
            stage.skipped += 1
        elif t['ok']:
            stage.passed += 1
        else:
            stage.fail(t['name'])
    if unfinished:
        count_children(unfinished['name'], unfinished['children'],
                       unfinished['child_plan'])
        stage.fail(f"{unfinished['name']}: never finished (crash or timeout?)")
    if plan is None:
        stage.fail('no KTAP plan line (1..N) found')
    else:
        missing = plan - len(tests) - (1 if unfinished else 0)
        if missing > 0:
            stage.fail(f'{missing} of {plan} planned top-level results '
                       'missing', missing)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('log')
    ap.add_argument('--stage', default='ktap')
    ap.add_argument('--begin', help='regex: the region starts after this line')
    ap.add_argument('--end', help='regex: the region stops at this line')
    ap.add_argument('--require-end', action='store_true',
                    help='a missing --end line is a failure (crash/timeout)')
    ap.add_argument('--min-tests', type=int, default=0)
    ap.add_argument('--counts', help='append "STAGE PASSED FAILED" to this file')
    args = ap.parse_args()

    stage = Stage(args.stage)
    try:
        lines, seen_end = lines_of(args.log, args.begin, args.end)
    except OSError as e:
        lines, seen_end = None, False
        print(f'{args.stage}: cannot read {args.log}: {e}')
    if lines is None:
        stage.fail(f'region start /{args.begin}/ not found in the log')
    else:
        count(stage, *parse(lines))
        if args.require_end and not seen_end:
            stage.fail(f'end marker /{args.end}/ missing (crash or timeout?)')
    total = stage.passed + stage.failed
    if total < args.min_tests:
        stage.fail(f'only {total} test(s), at least {args.min_tests} expected')

    for f in stage.failures:
        print(f'  FAILED: {args.stage}: {f}')
    print(f'{args.stage}: {stage.passed} passed, {stage.failed} failed, '
          f'{stage.skipped} skipped')
    if args.counts:
        with open(args.counts, 'a') as f:
            f.write(f'{args.stage} {stage.passed} {stage.failed}\n')
    return 1 if stage.failed else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build the exported patch series (out/patches/) from patches/export.series.

export.series: stanzas separated by blank lines; '#' starts a comment line.
    subject: markers: add the core
    files: include/linux/markers.h kernel/markers/     (files, directories
    files: samples/markers/*.c                          or globs; repeatable)
    hunks: 0001-foo.patch 0002-bar.patch              (from patches/)
    body: patches/msg/01-core.txt
and anywhere, for overlay files that are deliberately not exported:
    not-exported: tools/testing/markers/*.sh
Every overlay file must be matched by exactly one stanza or not-exported
line, and every patches/*.patch by exactly one stanza, or this fails.

The series is committed on top of out/base-git (a git repository of the
pristine base, made once) and written with git format-patch --cover-letter;
the cover letter comes from patches/msg/cover.txt (first line: subject).
"""
import fnmatch
import os
import shutil
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
OUT = os.path.join(REPO, 'out')
BASE, SRC = os.path.join(OUT, 'base'), os.path.join(OUT, 'src')
GIT_DIR = os.path.join(OUT, 'base-git')
PATCHES_OUT = os.path.join(OUT, 'patches')
AUTHOR = ('Kernel Markers Developers', 'markers@example.org')


def die(msg):
    sys.exit(f'ERROR: {msg}')


def run(*cmd, cwd=GIT_DIR, env=None, quiet=False):
    r = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode:
        print(r.stdout, file=sys.stderr)
        die(f'{" ".join(cmd)} failed (status {r.returncode})')
    return r.stdout


def overlay_files():
    out = run('bash', '-c', f'. {REPO}/tools/testing/markers/lib.sh && overlay_files', cwd=REPO)
    return [l for l in out.splitlines() if l]


def parse_series(path):
    stanzas, not_exported, cur = [], [], None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if line.lstrip().startswith('#'):
                continue
            if not line.strip():
                cur = None
                continue
            key, sep, val = line.partition(':')
            key, val = key.strip(), val.strip()
            if not sep or key not in ('subject', 'files', 'hunks', 'body', 'not-exported'):
                die(f'{path}:{n}: expected "subject|files|hunks|body|not-exported: ..."')
            if key == 'not-exported':
                not_exported += val.split()
                continue
            if cur is None:
                cur = dict(subject=None, files=[], hunks=[], body=None, line=n)
                stanzas.append(cur)
            if key in ('files', 'hunks'):
                cur[key] += val.split()
            elif cur[key] is not None:
                die(f'{path}:{n}: second "{key}:" in one stanza')
            else:
                cur[key] = val
    for s in stanzas:
        if not s['subject']:
            die(f'{path}:{s["line"]}: stanza without subject')
        if not s['body'] or not os.path.isfile(os.path.join(REPO, s['body'])):
            die(f'{path}:{s["line"]}: body file {s["body"]!r} missing')
    return stanzas, not_exported


def match(pattern, files):
    p = pattern.rstrip('/')
    if os.path.isdir(os.path.join(REPO, p)):
        return [f for f in files if f.startswith(p + '/')]
    return [f for f in files if fnmatch.fnmatchcase(f, p)]


def check_coverage(stanzas, not_exported, overlay):
    errors, owner = [], {}
    groups = [(f'stanza "{s["subject"]}"', s['files']) for s in stanzas]
    groups.append(('not-exported', not_exported))
    for who, patterns in groups:
        for pat in patterns:
            hits = match(pat, overlay)
            if not hits:
                errors.append(f'{who}: "{pat}" matches no overlay file')
            for f in hits:
                if f in owner and owner[f] != who:
                    errors.append(f'{f} is listed twice: {owner[f]} and {who}')
                owner.setdefault(f, who)
    errors += [f'overlay file {f} is in no stanza (nor not-exported)'
               for f in overlay if f not in owner]
    series = [l.split('#')[0].strip() for l in open(os.path.join(REPO, 'patches', 'series'))]
    series = [l for l in series if l]
    all_hunks = sorted(f for f in os.listdir(os.path.join(REPO, 'patches')) if f.endswith('.patch'))
    listed = [h for s in stanzas for h in s['hunks']]
    for h in all_hunks:
        if listed.count(h) == 0:
            errors.append(f'patches/{h} is in no stanza')
    for h in set(listed):
        if listed.count(h) > 1:
            errors.append(f'patches/{h} is listed in {listed.count(h)} stanzas')
        if h not in all_hunks:
            errors.append(f'patches/{h} is listed but does not exist')
        elif h not in series:
            errors.append(f'patches/{h} is exported but not in patches/series')
    if errors:
        for e in errors:
            print(f'  {e}', file=sys.stderr)
        die('patches/export.series does not cover the overlay exactly once')
    return {f: w for f, w in owner.items() if w != 'not-exported'}


def base_git():
    """out/base-git: the pristine base as one commit, tagged 'base'."""
    stamp = os.path.join(OUT, 'base-git.stamp')
    key = open(os.path.join(OUT, 'base.stamp')).read()
    if os.path.isdir(os.path.join(GIT_DIR, '.git')) and \
            os.path.exists(stamp) and open(stamp).read() == key:
        return
    version = run('bash', '-c', f'. {REPO}/tools/testing/markers/lib.sh && tree_version {BASE}',
                  cwd=REPO).strip()
    print(f'== patches: creating out/base-git (base {version}), once', flush=True)
    shutil.rmtree(GIT_DIR, ignore_errors=True)
    run('cp', '-a', BASE, GIT_DIR, cwd=OUT)
    run('git', 'init', '-q', '-b', 'base-branch')
    run('git', 'config', 'core.looseCompression', '1')
    run('git', 'add', '-A', '-f')
    run('git', 'commit', '-q', '--no-verify', '-m', f'base {version}', env=git_env())
    run('git', 'tag', '-f', 'base')
    with open(stamp, 'w') as f:
        f.write(key)


def git_env():
    env = dict(os.environ)
    date = os.environ.get('SOURCE_DATE_EPOCH')
    if not date:
        r = subprocess.run(['git', '-C', REPO, 'log', '-1', '--format=%ct'],
                           text=True, capture_output=True)
        date = r.stdout.strip() or None
    for who in ('AUTHOR', 'COMMITTER'):
        env[f'GIT_{who}_NAME'], env[f'GIT_{who}_EMAIL'] = AUTHOR
        if date:
            env[f'GIT_{who}_DATE'] = f'@{date} +0000'
    return env


def main():
    shutil.rmtree(PATCHES_OUT, ignore_errors=True)   # no stale series on failure
    series_file = os.environ.get('EXPORT_SERIES') or \
        os.path.join(REPO, 'patches', 'export.series')
    cover_file = os.environ.get('EXPORT_COVER') or \
        os.path.join(REPO, 'patches', 'msg', 'cover.txt')
    if not os.path.isfile(series_file):
        die('patches/export.series missing')
    if not os.path.isfile(cover_file):
        die('patches/msg/cover.txt missing')
    stanzas, not_exported = parse_series(series_file)
    if not stanzas:
        die('patches/export.series has no stanza')
    overlay = overlay_files()
    owner = check_coverage(stanzas, not_exported, overlay)

    base_git()
    env = git_env()
    run('git', 'checkout', '-q', '-f', '-B', 'export', 'base')
    run('git', 'clean', '-q', '-f', '-d', '-x')
    for i, s in enumerate(stanzas, 1):
        who = f'stanza "{s["subject"]}"'
        for f in sorted(f for f, w in owner.items() if w == who):
            os.makedirs(os.path.dirname(os.path.join(GIT_DIR, f)), exist_ok=True)
            shutil.copy2(os.path.join(REPO, f), os.path.join(GIT_DIR, f))
        for h in s['hunks']:
            with open(os.path.join(REPO, 'patches', h)) as p:
                r = subprocess.run(['patch', '-p1', '--forward', '--batch', '--fuzz=0',
                                    '--no-backup-if-mismatch', '-r', '-'], cwd=GIT_DIR,
                                   stdin=p, text=True, capture_output=True)
            if r.returncode:
                print(r.stdout + r.stderr, file=sys.stderr)
                die(f'patch {i} ({s["subject"]}): hunk file patches/{h} does not apply')
        run('git', 'add', '-A', '-f')
        body = open(os.path.join(REPO, s['body'])).read().strip('\n')
        msg = f'{s["subject"]}\n\n{body}\n\nSigned-off-by: {AUTHOR[0]} <{AUTHOR[1]}>\n'
        r = subprocess.run(['git', 'commit', '-q', '--no-verify', '-F', '-'], cwd=GIT_DIR,
                           env=env, input=msg, text=True, capture_output=True)
        if r.returncode:
            print(r.stdout + r.stderr, file=sys.stderr)
            die(f'patch {i} ({s["subject"]}): git commit failed (empty stanza?)')

    # the exported tree must be what make prepare built (exported files only)
    changed = run('git', 'diff', '--name-only', 'base', 'export').split()
    for f in changed:
        a, b = os.path.join(GIT_DIR, f), os.path.join(SRC, f)
        if os.path.exists(a) != os.path.exists(b) or \
                (os.path.exists(a) and open(a, 'rb').read() != open(b, 'rb').read()):
            die(f'exported tree and out/src differ at {f} (run make prepare; check hunk order)')

    shutil.rmtree(PATCHES_OUT, ignore_errors=True)
    run('git', 'format-patch', '-q', '--cover-letter', '--no-signature',
        '-o', PATCHES_OUT, 'base..export', env=env)
    cover_lines = open(cover_file).read().strip('\n').split('\n')
    subject, blurb = cover_lines[0].strip(), '\n'.join(cover_lines[1:]).strip('\n')
    cover = os.path.join(PATCHES_OUT, '0000-cover-letter.patch')
    text = open(cover).read().replace('*** SUBJECT HERE ***', subject)
    text = text.replace('*** BLURB HERE ***', blurb)
    open(cover, 'w').write(text)
    for p in sorted(os.listdir(PATCHES_OUT)):
        print(f'  out/patches/{p}')
    print(f'== patches: {len(stanzas)} patch(es) + cover letter in out/patches/')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""faults.py — a failing disk under `ladder up`, at every point of a run.

Each trial copies INITIAL_DIR (the database directory before the run: empty
for a fresh database, or holding a database with steps applied), runs
`ladder up` with a fault, then checks what ladder promises:
- ladder exits 1 with a message that names the database and says what
  failed (a full disk or an I/O error), unless the fault hit a call SQLite
  ignores (the directory sync after a journal's creation), where it may
  exit 0 with everything applied;
- no step it printed "applied" for is missing;
- no file is left that was not there before and holds nothing recorded:
  a fresh database whose first commit failed leaves neither app.db nor
  app.db-journal (an orphan journal would truncate a database copied to
  that path later); no journal without its database;
- PRAGMA integrity_check is ok (after SQLite's own recovery), every
  recorded step is whole and no unrecorded step left anything;
- once the fault is gone, `ladder up` exits 0 and all steps are recorded
  and whole.

The faults (tests/faults/shim.c, LDR_SHIM_FAIL): the Nth write (write,
pwrite, ftruncate) or the Nth sync (fsync, fdatasync) on a file of the
database's directory fails with ENOSPC or EIO, once or from then on
("sticky", a disk that stays full), and the Nth unlink fails with EIO,
for every N of a clean run's count;
and RLIMIT_FSIZE (`ulimit -f`) at every 4 KiB up to the final size.

Usage: faults.py KIND INITIAL_DIR MANIFEST STEPS ROWS
  KIND: shim (write and sync faults) or fsize (file-size limits)
  (LADDER names the binary, LDR_SHIM the shim)
"""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from powercut import problems  # noqa: E402

DB = "app.db"


def run_up(ladder, manifest, d, env=None, fsize=None):
    def limit():
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return subprocess.run([ladder, "-m", manifest, "-d",
                           os.path.join(d, DB), "up"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, preexec_fn=limit, timeout=120)


def faulted_dir_sync(log):
    """Whether the injected fault hit a sync of the directory itself."""
    names = {}
    for line in open(log):
        f = line.split()
        if f[1] == "open":
            names[f[2]] = f[3]
        elif f[1] == "fault":
            return f[2] == "sync" and names.get(f[3]) == "."
    return False


def trial(label, ladder, manifest, steps, rows, initial, work, env=None,
          fsize=None, log=None):
    d = os.path.join(work, "db")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(initial, d)
    before = set(os.listdir(d))
    r = run_up(ladder, manifest, d, env, fsize)
    out, err = r.stdout.decode(), r.stderr.decode()
    bad = []
    faulted = True
    if log is not None:
        faulted = any(" fault " in x for x in open(log))
    if r.returncode < 0 or r.returncode >= 128:
        bad.append("ladder died of signal %d" % (-r.returncode if
                                                 r.returncode < 0 else
                                                 r.returncode - 128))
    elif not faulted or (r.returncode == 0 and log is not None and
                         faulted_dir_sync(log)):
        pass  # no fault hit, or one SQLite ignores: a normal run
    elif r.returncode != 1:
        bad.append("exit %d, not 1" % r.returncode)
    elif not re.search(r"app\.db", err):
        bad.append("the message does not name the database")
    elif not re.search(r"is full|input/output error", err):
        bad.append("the message does not say the disk failed")
    printed = {int(m) for m in re.findall(r"^applied (\d+) s\d+ ", out,
                                          re.M)}
    after = set(os.listdir(d))
    if DB + "-journal" in after and DB not in after:
        bad.append("an orphan journal was left")
    extra = after - before - {DB, DB + "-journal", DB + "-wal",
                              DB + "-shm"}
    if extra:
        bad.append("files left behind: %s" % sorted(extra))
    more, recorded = problems(os.path.join(d, DB), steps, rows, printed)
    bad += more
    if DB not in before and DB in after and not recorded:
        bad.append("a fresh database with nothing recorded was left")
    if os.path.exists(os.path.join(d, DB + "-journal")) and \
            os.path.getsize(os.path.join(d, DB + "-journal")) > 0:
        bad.append("a hot journal survived a read-write open")
    r2 = run_up(ladder, manifest, d)
    if r2.returncode != 0:
        bad.append("the next up exited %d: %s" %
                   (r2.returncode, r2.stderr.decode()[:300]))
    else:
        more, _ = problems(os.path.join(d, DB), steps, rows,
                           set(range(1, steps + 1)))
        bad += ["after the next up: " + x for x in more]
    if bad:
        print("%s: exit %d, stderr: %s" % (label, r.returncode,
                                          err.strip()[:300]))
        for x in bad:
            print("  " + x)
    return not bad, faulted, err


def main():
    kind, initial, manifest, steps, rows = sys.argv[1:6]
    steps, rows = int(steps), int(rows)
    ladder = os.environ["LADDER"]
    initial = os.path.abspath(initial)
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="ladder-faults-", dir=scratch)
    failures = trials = hits = 0
    messages = set()
    try:
        if kind == "shim":
            shim = os.environ["LDR_SHIM"]
            log = os.path.join(work, "log")
            d = os.path.join(work, "db")
            base = dict(os.environ, LD_PRELOAD=shim,
                        LDR_SHIM_LOG=log)
            # A clean run under the shim: how many writes and syncs.
            shutil.copytree(initial, d)
            env = dict(base, LDR_SHIM_DIR=os.path.realpath(d))
            r = run_up(ladder, manifest, d, env)
            if r.returncode != 0:
                print("the clean run failed: " + r.stderr.decode())
                return 1
            text = open(log).read()
            writes = len(re.findall(r" (write|trunc) ", text))
            syncs = len(re.findall(r" sync ", text))
            unlinks = len(re.findall(r" unlink ", text))
            plan = []
            for n in range(1, writes + 1):
                plan.append("write:%d:%s" % (n, "ENOSPC" if n % 2 else "EIO"))
                if n % 3 == 0:
                    plan.append("write:%d+:ENOSPC" % n)
            for n in range(1, syncs + 1):
                plan.append("sync:%d:EIO" % n)
                if n % 2:
                    plan.append("sync:%d+:EIO" % n)
            for n in range(1, unlinks + 1):
                plan.append("unlink:%d:EIO" % n)
            for spec in plan:
                for f in (log, log + ".data"):
                    if os.path.exists(f):
                        os.unlink(f)
                env = dict(base, LDR_SHIM_DIR=os.path.realpath(d),
                           LDR_SHIM_FAIL=spec)
                ok, faulted, err = trial(spec, ladder, manifest, steps,
                                         rows, initial, work, env=env,
                                         log=log)
                trials += 1
                hits += faulted
                failures += not ok
                if faulted and err:
                    messages.add(err.strip().splitlines()[0][:160])
            print("%d writes, %d syncs and %d unlinks in a clean run" %
                  (writes, syncs, unlinks))
        else:
            d = os.path.join(work, "full")
            shutil.copytree(initial, d)
            r = run_up(ladder, manifest, d)
            if r.returncode != 0:
                print("the clean run failed: " + r.stderr.decode())
                return 1
            size = os.path.getsize(os.path.join(d, DB))
            base = max([os.path.getsize(os.path.join(initial, f))
                        for f in os.listdir(initial)] + [0])
            limit = base + 512
            while limit < size:
                ok, _, err = trial("RLIMIT_FSIZE %d" % limit, ladder,
                                   manifest, steps, rows, initial, work,
                                   fsize=limit)
                trials += 1
                hits += 1
                failures += not ok
                if err:
                    messages.add(err.strip().splitlines()[0][:160])
                limit += 4096
            print("final size %d bytes" % size)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("messages seen:")
    for m in sorted(messages):
        print("  " + m)
    print("%d trials (%d hit by the fault): %d failed" %
          (trials, hits, failures))
    return 1 if failures or not hits else 0


if __name__ == "__main__":
    sys.exit(main())

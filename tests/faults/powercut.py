#!/usr/bin/env python3
"""powercut.py — rebuild a directory as a power cut would leave it, from the
log tests/faults/shim.c wrote during a real `ladder up`, and check what
ladder promises at each cut point.

The model (what a power cut is assumed to do; guarantees.md repeats it):
- The log is the exact order in which ladder (and SQLite inside it) called
  write, pwrite, ftruncate, fsync / fdatasync, open(O_CREAT), unlink and
  rename on files of the database's directory, and wrote its stdout. A cut
  falls between two logged calls; everything after it never happened.
- A file's content is durable up to its last fsync/fdatasync before the
  cut. What was written after it is, independently for each file, all
  lost, or kept as a prefix (in call order), or kept as a prefix whose
  last write is torn: a random subset of its 512-byte sectors reached the
  disk. A write never changes bytes outside its range (SQLite's default
  "powersafe overwrite"), and writes are not reordered inside the kept
  prefix (a torn last write covers the in-between case of one write).
- The directory's entries (a file's creation, an unlink, a rename) are
  durable up to the directory's last fsync before the cut; the ones after
  it are kept as a prefix in call order (ext4's journal commits metadata in
  order), possibly none. A file whose creation is lost is gone with its
  data; a file whose unlink is lost comes back with the content its inode
  had (by the rule above). fsync of a file does not make its name durable
  (POSIX does not promise it; ext4 happens to).
- The -shm file of a WAL database is left out: it is written through
  mmap, which the shim cannot see, and SQLite rebuilds it from the WAL
  when the first connection opens the database.
- The storage honours fsync (what SQLite itself assumes); a lying disk is
  outside any promise.

At each cut point the rebuilt directory is checked: PRAGMA
integrity_check is ok; each step recorded in schema_migrations is whole
(its table with all its rows, its index, its one row in steplog); no
unrecorded step left anything; every step whose "applied N" line was on
stdout before the cut is recorded; and `ladder up` on a second copy of
the same files exits 0 and leaves all steps recorded and whole.

Usage: powercut.py LOG INITIAL_DIR DB_NAME MANIFEST STEPS ROWS CUTS SEED
       (LADDER names the binary to run for the next `up`)
"""
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

SECTOR = 512


def parse(log):
    data = open(log + ".data", "rb").read()
    ops = []
    for line in open(log):
        f = line.split()
        kind = f[1]
        if kind == "open":
            ops.append(("open", int(f[2]), f[3], int(f[4])))
        elif kind == "write":
            off, n, at = int(f[3]), int(f[4]), int(f[5])
            ops.append(("write", int(f[2]), off, data[at:at + n]))
        elif kind == "trunc":
            ops.append(("trunc", int(f[2]), int(f[3])))
        elif kind == "sync":
            ops.append(("sync", int(f[2])))
        elif kind == "close":
            ops.append(("close", int(f[2])))
        elif kind == "unlink":
            ops.append(("unlink", f[2]))
        elif kind == "rename":
            ops.append(("rename", f[2], f[3]))
        elif kind == "out":
            n, at = int(f[2]), int(f[3])
            ops.append(("out", data[at:at + n]))
        elif kind == "fault":
            ops.append(("fault",))
        else:
            raise SystemExit("powercut.py: unknown log line: " + line)
    return ops


class Inode:
    def __init__(self, base=b""):
        self.base = base
        self.ops = []  # ("w", off, bytes) | ("t", len)
        self.synced = 0


def state_at(ops, cut, initial):
    """Replays ops[:cut]: the inodes, the directory's entry operations and
    how many of them are durable, and the stdout text."""
    names = {}
    for n, content in initial.items():
        names[n] = Inode(content)
    start = dict(names)
    fds = {}
    dirops = []
    dir_synced = 0
    out = b""
    DIR = object()
    for op in ops[:cut]:
        k = op[0]
        if k == "open":
            _, fd, name, _existed = op
            if name == ".":
                fds[fd] = DIR
            else:
                if name not in names:
                    names[name] = Inode()
                    dirops.append(("create", name, names[name]))
                fds[fd] = names[name]
        elif k == "write":
            fds[op[1]].ops.append(("w", op[2], op[3]))
        elif k == "trunc":
            fds[op[1]].ops.append(("t", op[2]))
        elif k == "sync":
            node = fds[op[1]]
            if node is DIR:
                dir_synced = len(dirops)
            else:
                node.synced = len(node.ops)
        elif k == "close":
            fds.pop(op[1], None)
        elif k == "unlink":
            dirops.append(("unlink", op[1]))
            names.pop(op[1], None)
        elif k == "rename":
            _, a, b = op
            if a in names:
                names[b] = names.pop(a)
            dirops.append(("rename", a, b))
        elif k == "out":
            out += op[1]
    return start, dirops, dir_synced, out


def apply(content, op, rng=None):
    if op[0] == "t":
        n = op[1]
        return content[:n] + b"\0" * max(0, n - len(content))
    _, off, data = op
    c = bytearray(content)
    if len(c) < off:
        c += b"\0" * (off - len(c))
    if rng is None:
        c[off:off + len(data)] = data
        return bytes(c)
    # torn: each 512-byte sector of the range, by its place on the disk,
    # reached it or not
    end = off + len(data)
    s = off
    while s < end:
        e = min(end, (s // SECTOR + 1) * SECTOR)
        if rng.random() < 0.5:
            if len(c) < e:
                c += b"\0" * (e - len(c))
            c[s:e] = data[s - off:e - off]
        s = e
    return bytes(c)


def content_after_cut(node, rng, why):
    c = node.base
    for op in node.ops[:node.synced]:
        c = apply(c, op)
    pending = node.ops[node.synced:]
    if not pending:
        return c
    mode = rng.choice(["lost", "all", "prefix", "torn"])
    keep = {"lost": 0, "all": len(pending)}.get(mode)
    if keep is None:
        keep = rng.randint(0, len(pending))
    for op in pending[:keep]:
        c = apply(c, op)
    if mode == "torn" and keep < len(pending):
        c = apply(c, pending[keep], rng)
    why.append("%s %d/%d" % (mode, keep, len(pending)))
    return c


def rebuild(ops, cut, initial, rng, target):
    start, dirops, dir_synced, out = state_at(ops, cut, initial)
    keep = dir_synced + rng.randint(0, len(dirops) - dir_synced)
    names = dict(start)
    for d in dirops[:keep]:
        if d[0] == "create":
            names[d[1]] = d[2]
        elif d[0] == "unlink":
            names.pop(d[1], None)
        elif d[0] == "rename" and d[1] in names:
            names[d[2]] = names.pop(d[1])
    why = ["dir %d+%d/%d" % (dir_synced, keep - dir_synced,
                             len(dirops) - dir_synced)]
    done = {}
    os.makedirs(target)
    for name, node in sorted(names.items()):
        if name.endswith("-shm"):
            continue
        if id(node) not in done:
            w = []
            done[id(node)] = content_after_cut(node, rng, w)
            why += ["%s: %s" % (name, x) for x in w]
        with open(os.path.join(target, name), "wb") as f:
            f.write(done[id(node)])
    printed = {int(m) for m in re.findall(rb"^applied (\d+) s\d+ ",
                                           out, re.M)}
    return printed, why


def look(path):
    """integrity_check, the recorded ids, and the steps whose objects are
    there, after SQLite's own recovery (a read-write open)."""
    if not os.path.exists(path):
        return "ok", set(), {}
    con = sqlite3.connect("file:%s?mode=rw" % path, uri=True,
                          isolation_level=None)
    try:
        ic = "\n".join(r[0] for r in con.execute("PRAGMA integrity_check"))
        tabs = {r[0] for r in con.execute(
            "SELECT name FROM sqlite_master")}
        recorded = set()
        if "schema_migrations" in tabs:
            recorded = {r[0] for r in con.execute(
                "SELECT id FROM schema_migrations")}
        present = {}
        logged = {}
        if "steplog" in tabs:
            for (i,) in con.execute("SELECT step FROM steplog"):
                logged[i] = logged.get(i, 0) + 1
        for name in tabs:
            m = re.match(r"^[ti]_(\d+)$", name)
            if m:
                present.setdefault(int(m.group(1)), {})[name[0]] = True
        for i in list(present):
            if "t" in present[i]:
                present[i]["rows"] = con.execute(
                    "SELECT count(*) FROM t_%d" % i).fetchone()[0]
        for i, n in logged.items():
            present.setdefault(i, {})["log"] = n
        return ic, recorded, present
    finally:
        con.close()


def problems(path, steps, rows, must_have):
    ic, recorded, present = look(path)
    bad = []
    if ic != "ok":
        bad.append("integrity_check: " + ic[:200])
    for i in sorted(recorded):
        p = present.get(i, {})
        if not (p.get("t") and p.get("i") and p.get("rows") == rows and
                p.get("log") == 1):
            bad.append("recorded step %d is not whole: %r" % (i, p))
    for i in sorted(set(present) - recorded):
        bad.append("unrecorded step %d left %r" % (i, present[i]))
    for i in sorted(must_have - recorded):
        bad.append("step %d was reported applied but is not recorded" % i)
    return bad, recorded


def main():
    (log, initial_dir, db, manifest, steps, rows, cuts,
     seed) = sys.argv[1:9]
    steps, rows, cuts, seed = int(steps), int(rows), int(cuts), int(seed)
    ladder = os.environ["LADDER"]
    ops = parse(log)
    initial = {}
    for n in os.listdir(initial_dir):
        with open(os.path.join(initial_dir, n), "rb") as f:
            initial[n] = f.read()
    rng = random.Random(seed)
    # Right after each stdout write (the instants a promise is made), the
    # end of the run (after ladder exited 0), and random points.
    points = {i + 1 for i, op in enumerate(ops) if op[0] == "out"}
    points.add(len(ops))
    while len(points) < cuts:
        points.add(rng.randint(0, len(ops)))
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="ladder-powercut-", dir=scratch)
    failures = 0
    try:
        for n, cut in enumerate(sorted(points)):
            a = os.path.join(work, "a%d" % n)
            printed, why = rebuild(ops, cut, initial, rng, a)
            b = os.path.join(work, "b%d" % n)
            shutil.copytree(a, b)
            bad, _ = problems(os.path.join(a, db), steps, rows, printed)
            r = subprocess.run([ladder, "-m", manifest, "-d",
                                os.path.join(b, db), "up"],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=120)
            if r.returncode != 0:
                bad.append("the next up exited %d: %s" %
                           (r.returncode, r.stderr.decode()[:300]))
            else:
                more, rec = problems(os.path.join(b, db), steps, rows,
                                     set(range(1, steps + 1)))
                bad += ["after the next up: " + x for x in more]
            if bad:
                failures += 1
                if failures <= 5:
                    print("cut %d of %d ops (%s):" % (cut, len(ops),
                                                      ", ".join(why)))
                    for x in bad:
                        print("  " + x)
            shutil.rmtree(a)
            shutil.rmtree(b)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d cut points (seed %d, %d logged calls, %d steps reported "
          "applied): %d failed" % (len(points), seed, len(ops),
                                   sum(1 for o in ops if o[0] == "out"),
                                   failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

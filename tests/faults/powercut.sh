# powercut.sh — the power-cut test shared by t730 (DELETE) and t731 (WAL);
# sourced after lib.sh with JOURNAL set to the database's journal mode.
#
# An `up` of $STEPS steps runs under the shim (tests/faults/shim.c), which
# logs every write, sync, create, unlink and rename in the database's
# directory and every line on stdout. tests/faults/powercut.py then
# rebuilds the directory as a power cut at >= $CUTS points of that log
# would leave it (the model is described at its top and in
# docs/guarantees.md) and checks each: integrity_check ok, every recorded
# step whole, no unrecorded step partly there, every step reported
# "applied" before the cut still recorded, and the next `up` completes.
: "${LDR_FAULTS:?set LDR_FAULTS to tests/faults}"
. "$LDR_FAULTS/common.sh"

STEPS=${STEPS:-50}
ROWS=${ROWS:-60}
CUTS=${CUTS:-200}
SEED=${POWERCUT_SEED:-1}

mkdir -p db initial
# The middle step is `foreign_keys: off`, which never shares a
# transaction: with the group budget below, the run makes exactly three
# commits (steps before it, it, steps after it).
FK_OFF_STEP=$((STEPS / 2)) write_steps

# The database before the run: none (DELETE: the run makes it), or an
# empty database already in WAL mode (ladder keeps the mode it finds).
if [ "$JOURNAL" = wal ]; then
	[ "$(sql initial/app.db 'PRAGMA journal_mode = WAL')" = wal ] || fail "cannot make a WAL database"
fi
cp -R initial/. db/

DIR=$(cd db && pwd -P)
LDR_SHIM_DIR=$DIR LDR_SHIM_LOG=$T/log LD_PRELOAD=$LDR_SHIM \
	"$LADDER" -m manifest.yaml -d db/app.db up --group-ms "${GROUP_MS:-600000}" >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0 "the logged run"
[ "$(grep -c '^applied [0-9]* s' "$T/out")" -eq "$STEPS" ] || fail "the logged run did not apply $STEPS steps"
grep -q ' out ' "$T/log" || fail "the shim logged no stdout"
grep -q ' sync ' "$T/log" || fail "the shim logged no sync"
# Group commit: the "applied" lines come in three bursts, each after a
# commit's syncs (so powercut.py's "reported, so recorded" check covers
# steps reported together after one commit).
bursts=$(awk '$2 == "sync" { s = 1 } $2 == "out" { if (s) n++; s = 0 } END { print n + 0 }' "$T/log")
[ "${GROUP_MS:-600000}" = 0 ] || [ "$bursts" -le 4 ] ||
	fail "the logged run reported in $bursts bursts: steps were not grouped"

LADDER=$LADDER timeout 1200 python3 "$LDR_FAULTS/powercut.py" "$T/log" initial app.db \
	"$T/manifest.yaml" "$STEPS" "$ROWS" "$CUTS" "$SEED" >"$T/report" 2>&1
prc=$?
cat "$T/report"
[ $prc -eq 0 ] || fail "a power cut broke a promise (seed $SEED; POWERCUT_SEED=N reruns another)"

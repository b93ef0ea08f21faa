# faults.sh — the fault tests shared by t732..t735; sourced after lib.sh
# with KIND (shim: the Nth write or sync fails; fsize: RLIMIT_FSIZE) and
# FRESH (1: no database before the run; 0: one with steps applied). The
# checks are in tests/faults/faults.py.
: "${LDR_FAULTS:?set LDR_FAULTS to tests/faults}"
. "$LDR_FAULTS/common.sh"

STEPS=${STEPS:-8}
ROWS=${ROWS:-60}
mkdir -p initial
write_steps
if [ "$FRESH" = 0 ]; then
	# a database with the first three steps applied
	run -m manifest.yaml -d initial/app.db up --to 3
	expect_rc 0 "setting up the database"
fi

LADDER=$LADDER timeout 1200 python3 "$LDR_FAULTS/faults.py" "$KIND" initial \
	"$T/manifest.yaml" "$STEPS" "$ROWS" >"$T/report" 2>&1
prc=$?
cat "$T/report"
[ $prc -eq 0 ] || fail "a failing disk broke a promise"

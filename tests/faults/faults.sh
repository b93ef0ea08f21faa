# faults.sh — the fault tests shared by t732..t735; sourced after lib.sh
# with KIND (shim: the Nth write or sync fails; fsize: RLIMIT_FSIZE) and
# FRESH (1: no database before the run; 0: one with steps applied). The
# checks are in tests/faults/faults.py.
: "${LDR_SHIM:?set LDR_SHIM to the shim (tests/CMakeLists.txt does)}"
: "${LDR_FAULTS:?set LDR_FAULTS to tests/faults}"
command -v python3 >/dev/null || fail "python3 is needed"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

STEPS=${STEPS:-8}
ROWS=${ROWS:-60}
mkdir -p sql initial
{
	echo "migrations:"
	i=1
	while [ $i -le "$STEPS" ]; do
		{
			[ $i -eq 1 ] && echo 'CREATE TABLE steplog (step INTEGER NOT NULL);'
			cat <<SQL
CREATE TABLE t_$i (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
INSERT INTO t_$i (v) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $ROWS) SELECT printf('%d-%d-%.40c', $i, n, 'x') FROM c;
CREATE INDEX i_$i ON t_$i (v);
INSERT INTO steplog VALUES ($i);
SQL
		} >sql/$i.sql
		printf '  - {id: %d, name: s%d, file: sql/%d.sql}\n' $i $i $i
		i=$((i + 1))
	done
} >manifest.yaml
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

# common.sh — what faults.sh and powercut.sh share; sourced by both after
# tests/cli/lib.sh, with LDR_FAULTS set to this folder.
: "${LDR_SHIM:?set LDR_SHIM to the shim (tests/CMakeLists.txt does)}"
command -v python3 >/dev/null || fail "python3 is needed"
# The shim comes before a sanitizer's runtime in the preload order.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# write_steps: sql/1.sql .. sql/$STEPS.sql and manifest.yaml naming them.
# Each step makes a table of $ROWS rows and an index on it, and logs its
# number in `steplog` (which step 1 makes). Step $FK_OFF_STEP, if set, is
# `foreign_keys: off`.
write_steps() {
	mkdir -p sql
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
			fk=""
			[ $i -eq "${FK_OFF_STEP:-0}" ] && fk=", foreign_keys: off"
			printf '  - {id: %d, name: s%d, file: sql/%d.sql%s}\n' $i $i $i "$fk"
			i=$((i + 1))
		done
	} >manifest.yaml
}

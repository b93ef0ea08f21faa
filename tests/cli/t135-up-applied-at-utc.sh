#!/bin/sh
# applied_at is UTC whatever the local time zone: under TZ=Asia/Tokyo
# (UTC+9) the recorded time matches `date -u`, to within a few seconds.
. "$TESTLIB"

# Without tzdata TZ=Asia/Tokyo would silently be UTC and prove nothing.
[ "$(TZ=Asia/Tokyo date +%H)" != "$(date -u +%H)" ] || fail "TZ=Asia/Tokyo is UTC here (no tzdata?)"

steps 1
before=$(date -u +%s)
TZ=Asia/Tokyo run up -d app.db
after=$(date -u +%s)
expect_rc 0 "up under TZ=Asia/Tokyo"
at=$(sql app.db "SELECT applied_at FROM schema_migrations WHERE id = 1")
echo "$at" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' ||
	fail "applied_at '$at' is not RFC 3339 UTC"
secs=$(date -u -d "$at" +%s) || fail "date cannot read '$at'"
[ "$secs" -ge $((before - 2)) ] && [ "$secs" -le $((after + 2)) ] ||
	fail "applied_at $at is not now in UTC ($(date -u -d @"$before" +%FT%TZ))"

TZ=Asia/Tokyo run status -d app.db --format json
expect_rc 0 "status"
jq_out ".migrations[0].applied_at == \"$at\""

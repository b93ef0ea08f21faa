#!/bin/sh
# The real karakeep history (drizzle-kit): import, then validate, up and check each exit
# 0, and the schema is what the shipped ladder/manifest.yaml gives.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/import-lib.sh"

import_validate_up_check karakeep drizzle-kit

# Empty dependencies file for test_dialect_sqlite.
# This may be replaced when dependencies are built.

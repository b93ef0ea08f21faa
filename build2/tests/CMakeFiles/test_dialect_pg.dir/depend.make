# Empty dependencies file for test_dialect_pg.
# This may be replaced when dependencies are built.

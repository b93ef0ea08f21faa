# Empty compiler generated dependencies file for test_migrate.
# This may be replaced when dependencies are built.

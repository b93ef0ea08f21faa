# Empty compiler generated dependencies file for test_sqlreader.
# This may be replaced when dependencies are built.

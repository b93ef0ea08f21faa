# Empty dependencies file for ladder.
# This may be replaced when dependencies are built.

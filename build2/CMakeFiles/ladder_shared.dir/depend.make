# Empty dependencies file for ladder_shared.
# This may be replaced when dependencies are built.

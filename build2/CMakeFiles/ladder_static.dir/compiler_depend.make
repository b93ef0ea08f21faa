# Empty compiler generated dependencies file for ladder_static.
# This may be replaced when dependencies are built.

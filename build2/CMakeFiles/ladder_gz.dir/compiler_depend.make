# Empty custom commands generated dependencies file for ladder_gz.
# This may be replaced when dependencies are built.

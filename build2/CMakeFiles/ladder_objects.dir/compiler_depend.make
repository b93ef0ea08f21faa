# Empty compiler generated dependencies file for ladder_objects.
# This may be replaced when dependencies are built.

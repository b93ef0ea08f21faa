# Empty compiler generated dependencies file for ldr_shim.
# This may be replaced when dependencies are built.

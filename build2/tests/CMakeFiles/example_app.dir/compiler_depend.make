# Empty compiler generated dependencies file for example_app.
# This may be replaced when dependencies are built.

file(REMOVE_RECURSE
  "CMakeFiles/example_app.dir/__/examples/app.c.o"
  "CMakeFiles/example_app.dir/__/examples/app.c.o.d"
  "CMakeFiles/example_app.dir/example_migrations.c.o"
  "CMakeFiles/example_app.dir/example_migrations.c.o.d"
  "example_app"
  "example_app.pdb"
  "example_migrations.c"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/example_app.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()

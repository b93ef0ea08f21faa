file(REMOVE_RECURSE
  "CMakeFiles/test_dialect_pg.dir/unit/test_dialect_pg.c.o"
  "CMakeFiles/test_dialect_pg.dir/unit/test_dialect_pg.c.o.d"
  "CMakeFiles/test_dialect_pg.dir/unit/testutil.c.o"
  "CMakeFiles/test_dialect_pg.dir/unit/testutil.c.o.d"
  "test_dialect_pg"
  "test_dialect_pg.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_dialect_pg.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()

file(REMOVE_RECURSE
  "CMakeFiles/test_dialect_sqlite.dir/unit/test_dialect_sqlite.c.o"
  "CMakeFiles/test_dialect_sqlite.dir/unit/test_dialect_sqlite.c.o.d"
  "CMakeFiles/test_dialect_sqlite.dir/unit/testutil.c.o"
  "CMakeFiles/test_dialect_sqlite.dir/unit/testutil.c.o.d"
  "test_dialect_sqlite"
  "test_dialect_sqlite.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_dialect_sqlite.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()

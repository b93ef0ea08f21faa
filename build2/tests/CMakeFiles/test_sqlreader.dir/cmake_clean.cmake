file(REMOVE_RECURSE
  "CMakeFiles/test_sqlreader.dir/unit/test_sqlreader.c.o"
  "CMakeFiles/test_sqlreader.dir/unit/test_sqlreader.c.o.d"
  "CMakeFiles/test_sqlreader.dir/unit/testutil.c.o"
  "CMakeFiles/test_sqlreader.dir/unit/testutil.c.o.d"
  "test_sqlreader"
  "test_sqlreader.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_sqlreader.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()

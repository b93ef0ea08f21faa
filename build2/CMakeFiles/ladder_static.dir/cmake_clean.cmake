file(REMOVE_RECURSE
  "libladder.a"
  "libladder.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ladder_static.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()

file(REMOVE_RECURSE
  "libladder.pdb"
  "libladder.so"
  "libladder.so.0"
  "libladder.so.0.1.0"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ladder_shared.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()

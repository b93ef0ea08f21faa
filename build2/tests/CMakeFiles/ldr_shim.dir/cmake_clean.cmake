file(REMOVE_RECURSE
  "CMakeFiles/ldr_shim.dir/faults/shim.c.o"
  "CMakeFiles/ldr_shim.dir/faults/shim.c.o.d"
  "ldr_shim.pdb"
  "ldr_shim.so"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ldr_shim.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()

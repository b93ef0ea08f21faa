file(REMOVE_RECURSE
  "CMakeFiles/ladder_gz"
  "man/ladder-manifest.5.gz"
  "man/ladder.1.gz"
  "packaging/ladder/changelog.Debian.gz"
  "packaging/libladder-dev/changelog.Debian.gz"
  "packaging/libladder0/changelog.Debian.gz"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/ladder_gz.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()


# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-S12/examples/app.c" "tests/CMakeFiles/example_app.dir/__/examples/app.c.o" "gcc" "tests/CMakeFiles/example_app.dir/__/examples/app.c.o.d"
  "/work/wt-S12/build2/tests/example_migrations.c" "tests/CMakeFiles/example_app.dir/example_migrations.c.o" "gcc" "tests/CMakeFiles/example_app.dir/example_migrations.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-S12/build2/CMakeFiles/ladder_shared.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")

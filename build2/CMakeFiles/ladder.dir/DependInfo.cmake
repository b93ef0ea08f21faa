
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-S12/runner/cli/cmd_adopt.c" "CMakeFiles/ladder.dir/runner/cli/cmd_adopt.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_adopt.c.o.d"
  "/work/wt-S12/runner/cli/cmd_baseline.c" "CMakeFiles/ladder.dir/runner/cli/cmd_baseline.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_baseline.c.o.d"
  "/work/wt-S12/runner/cli/cmd_check.c" "CMakeFiles/ladder.dir/runner/cli/cmd_check.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_check.c.o.d"
  "/work/wt-S12/runner/cli/cmd_down.c" "CMakeFiles/ladder.dir/runner/cli/cmd_down.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_down.c.o.d"
  "/work/wt-S12/runner/cli/cmd_embed.c" "CMakeFiles/ladder.dir/runner/cli/cmd_embed.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_embed.c.o.d"
  "/work/wt-S12/runner/cli/cmd_export.c" "CMakeFiles/ladder.dir/runner/cli/cmd_export.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_export.c.o.d"
  "/work/wt-S12/runner/cli/cmd_import.c" "CMakeFiles/ladder.dir/runner/cli/cmd_import.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_import.c.o.d"
  "/work/wt-S12/runner/cli/cmd_init.c" "CMakeFiles/ladder.dir/runner/cli/cmd_init.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_init.c.o.d"
  "/work/wt-S12/runner/cli/cmd_new.c" "CMakeFiles/ladder.dir/runner/cli/cmd_new.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_new.c.o.d"
  "/work/wt-S12/runner/cli/cmd_repair.c" "CMakeFiles/ladder.dir/runner/cli/cmd_repair.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_repair.c.o.d"
  "/work/wt-S12/runner/cli/cmd_schema.c" "CMakeFiles/ladder.dir/runner/cli/cmd_schema.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_schema.c.o.d"
  "/work/wt-S12/runner/cli/cmd_status.c" "CMakeFiles/ladder.dir/runner/cli/cmd_status.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_status.c.o.d"
  "/work/wt-S12/runner/cli/cmd_up.c" "CMakeFiles/ladder.dir/runner/cli/cmd_up.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_up.c.o.d"
  "/work/wt-S12/runner/cli/cmd_validate.c" "CMakeFiles/ladder.dir/runner/cli/cmd_validate.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/cmd_validate.c.o.d"
  "/work/wt-S12/runner/cli/main.c" "CMakeFiles/ladder.dir/runner/cli/main.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/main.c.o.d"
  "/work/wt-S12/runner/cli/options.c" "CMakeFiles/ladder.dir/runner/cli/options.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/options.c.o.d"
  "/work/wt-S12/runner/cli/output.c" "CMakeFiles/ladder.dir/runner/cli/output.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/output.c.o.d"
  "/work/wt-S12/runner/cli/progress.c" "CMakeFiles/ladder.dir/runner/cli/progress.c.o" "gcc" "CMakeFiles/ladder.dir/runner/cli/progress.c.o.d"
  "/work/wt-S12/runner/ldrx.c" "CMakeFiles/ladder.dir/runner/ldrx.c.o" "gcc" "CMakeFiles/ladder.dir/runner/ldrx.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-S12/build2/CMakeFiles/ladder_static.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")

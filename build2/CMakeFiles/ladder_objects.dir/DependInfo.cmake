
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-S12/runner/adopt.c" "CMakeFiles/ladder_objects.dir/runner/adopt.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/adopt.c.o.d"
  "/work/wt-S12/runner/bookkeeping.c" "CMakeFiles/ladder_objects.dir/runner/bookkeeping.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/bookkeeping.c.o.d"
  "/work/wt-S12/runner/check.c" "CMakeFiles/ladder_objects.dir/runner/check.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/check.c.o.d"
  "/work/wt-S12/runner/db.c" "CMakeFiles/ladder_objects.dir/runner/db.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/db.c.o.d"
  "/work/wt-S12/runner/diag.c" "CMakeFiles/ladder_objects.dir/runner/diag.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/diag.c.o.d"
  "/work/wt-S12/runner/dialect_pg.c" "CMakeFiles/ladder_objects.dir/runner/dialect_pg.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/dialect_pg.c.o.d"
  "/work/wt-S12/runner/dialect_sqlite.c" "CMakeFiles/ladder_objects.dir/runner/dialect_sqlite.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/dialect_sqlite.c.o.d"
  "/work/wt-S12/runner/driver_pg.c" "CMakeFiles/ladder_objects.dir/runner/driver_pg.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/driver_pg.c.o.d"
  "/work/wt-S12/runner/driver_sqlite.c" "CMakeFiles/ladder_objects.dir/runner/driver_sqlite.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/driver_sqlite.c.o.d"
  "/work/wt-S12/runner/embedded.c" "CMakeFiles/ladder_objects.dir/runner/embedded.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/embedded.c.o.d"
  "/work/wt-S12/runner/export.c" "CMakeFiles/ladder_objects.dir/runner/export.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/export.c.o.d"
  "/work/wt-S12/runner/import.c" "CMakeFiles/ladder_objects.dir/runner/import.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/import.c.o.d"
  "/work/wt-S12/runner/ldrx.c" "CMakeFiles/ladder_objects.dir/runner/ldrx.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/ldrx.c.o.d"
  "/work/wt-S12/runner/manifest.c" "CMakeFiles/ladder_objects.dir/runner/manifest.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/manifest.c.o.d"
  "/work/wt-S12/runner/manifest_yaml.c" "CMakeFiles/ladder_objects.dir/runner/manifest_yaml.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/manifest_yaml.c.o.d"
  "/work/wt-S12/runner/migrate.c" "CMakeFiles/ladder_objects.dir/runner/migrate.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/migrate.c.o.d"
  "/work/wt-S12/runner/path.c" "CMakeFiles/ladder_objects.dir/runner/path.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/path.c.o.d"
  "/work/wt-S12/runner/pg_bookkeeping.c" "CMakeFiles/ladder_objects.dir/runner/pg_bookkeeping.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/pg_bookkeeping.c.o.d"
  "/work/wt-S12/runner/pg_extras.c" "CMakeFiles/ladder_objects.dir/runner/pg_extras.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/pg_extras.c.o.d"
  "/work/wt-S12/runner/plan.c" "CMakeFiles/ladder_objects.dir/runner/plan.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/plan.c.o.d"
  "/work/wt-S12/runner/scaffold.c" "CMakeFiles/ladder_objects.dir/runner/scaffold.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/scaffold.c.o.d"
  "/work/wt-S12/runner/sha256.c" "CMakeFiles/ladder_objects.dir/runner/sha256.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/sha256.c.o.d"
  "/work/wt-S12/runner/sqlite_bookkeeping.c" "CMakeFiles/ladder_objects.dir/runner/sqlite_bookkeeping.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/sqlite_bookkeeping.c.o.d"
  "/work/wt-S12/runner/sqlite_extras.c" "CMakeFiles/ladder_objects.dir/runner/sqlite_extras.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/sqlite_extras.c.o.d"
  "/work/wt-S12/runner/sqlreader.c" "CMakeFiles/ladder_objects.dir/runner/sqlreader.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/sqlreader.c.o.d"
  "/work/wt-S12/runner/sqlscan.c" "CMakeFiles/ladder_objects.dir/runner/sqlscan.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/sqlscan.c.o.d"
  "/work/wt-S12/runner/sum.c" "CMakeFiles/ladder_objects.dir/runner/sum.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/sum.c.o.d"
  "/work/wt-S12/runner/util.c" "CMakeFiles/ladder_objects.dir/runner/util.c.o" "gcc" "CMakeFiles/ladder_objects.dir/runner/util.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")

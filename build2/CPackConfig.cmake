# This file will be configured to contain variables for CPack. These variables
# should be set in the CMake list file of the project before CPack module is
# included. The list of available CPACK_xxx variables and their associated
# documentation may be obtained using
#  cpack --help-variable-list
#
# Some variables are common to all generators (e.g. CPACK_PACKAGE_NAME)
# and some are specific to a generator
# (e.g. CPACK_NSIS_EXTRA_INSTALL_COMMANDS). The generator specific variables
# usually begin with CPACK_<GENNAME>_xxxx.


set(CPACK_BUILD_SOURCE_DIRS "/work/wt-S12;/work/wt-S12/build2")
set(CPACK_CMAKE_GENERATOR "Unix Makefiles")
set(CPACK_COMPONENTS_ALL "tool;lib;dev")
set(CPACK_COMPONENTS_ALL_SET_BY_USER "TRUE")
set(CPACK_COMPONENT_UNSPECIFIED_HIDDEN "TRUE")
set(CPACK_COMPONENT_UNSPECIFIED_REQUIRED "TRUE")
set(CPACK_DEBIAN_DEV_DESCRIPTION "SQL-file-driven database migrations for SQLite - development files
ladder applies SQL migration files to SQLite databases in the order a
YAML manifest lists them, records each one with its checksum in the
database, and refuses to run when the recorded history and the files
disagree. Each step is its own transaction, concurrent runners
serialise on a lock, and check answers without writing whether a
database fits a release.

This package holds the header ladder.h, the pkg-config file ladder.pc,
the static library and the libladder.so link to build against.")
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libladder0 (= 0.1.0-1), libsqlite3-dev (>= 3.35), libyaml-dev, nettle-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME "libladder-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_LIB_DESCRIPTION "SQL-file-driven database migrations for SQLite - library
ladder applies SQL migration files to SQLite databases in the order a
YAML manifest lists them, records each one with its checksum in the
database, and refuses to run when the recorded history and the files
disagree. Each step is its own transaction, concurrent runners
serialise on a lock, and check answers without writing whether a
database fits a release.

This package holds the shared library, libladder.so.0, for applications
that migrate their own database.")
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA "/work/wt-S12/packaging/triggers")
set(CPACK_DEBIAN_LIB_PACKAGE_NAME "libladder0")
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION "libs")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION "ON")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsqlite3-0 (>= 3.35)")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS "ON")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_RELEASE "1")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS "ON")
set(CPACK_DEBIAN_TOOL_DESCRIPTION "SQL-file-driven database migrations for SQLite
ladder applies SQL migration files to SQLite databases in the order a
YAML manifest lists them, records each one with its checksum in the
database, and refuses to run when the recorded history and the files
disagree. Each step is its own transaction, concurrent runners
serialise on a lock, and check answers without writing whether a
database fits a release.

This package holds the ladder command (up, down, status, check,
validate, new, repair, export, embed...), its man pages, bash
completion and documentation. libladder is linked in statically.")
set(CPACK_DEBIAN_TOOL_PACKAGE_NAME "ladder")
set(CPACK_DEBIAN_TOOL_PACKAGE_SECTION "database")
set(CPACK_DEB_COMPONENT_INSTALL "ON")
set(CPACK_DEFAULT_PACKAGE_DESCRIPTION_FILE "/usr/share/cmake-3.25/Templates/CPack.GenericDescription.txt")
set(CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY "ladder built using CMake")
set(CPACK_GENERATOR "DEB")
set(CPACK_INSTALL_CMAKE_PROJECTS "/work/wt-S12/build2;ladder;ALL;/")
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS "OWNER_READ;OWNER_WRITE;OWNER_EXECUTE;GROUP_READ;GROUP_EXECUTE;WORLD_READ;WORLD_EXECUTE")
set(CPACK_INSTALL_PREFIX "/usr/local")
set(CPACK_MODULE_PATH "")
set(CPACK_NSIS_DISPLAY_NAME "ladder 0.1.0")
set(CPACK_NSIS_INSTALLER_ICON_CODE "")
set(CPACK_NSIS_INSTALLER_MUI_ICON_CODE "")
set(CPACK_NSIS_INSTALL_ROOT "$PROGRAMFILES")
set(CPACK_NSIS_PACKAGE_NAME "ladder 0.1.0")
set(CPACK_NSIS_UNINSTALL_NAME "Uninstall")
set(CPACK_OBJCOPY_EXECUTABLE "/usr/bin/objcopy")
set(CPACK_OBJDUMP_EXECUTABLE "/usr/bin/objdump")
set(CPACK_OUTPUT_CONFIG_FILE "/work/wt-S12/build2/CPackConfig.cmake")
set(CPACK_PACKAGE_CONTACT "ladder authors <ladder@example.org>")
set(CPACK_PACKAGE_DEFAULT_LOCATION "/")
set(CPACK_PACKAGE_DESCRIPTION_FILE "/usr/share/cmake-3.25/Templates/CPack.GenericDescription.txt")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "ladder built using CMake")
set(CPACK_PACKAGE_FILE_NAME "ladder-0.1.0-Linux")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "ladder 0.1.0")
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "ladder 0.1.0")
set(CPACK_PACKAGE_NAME "ladder")
set(CPACK_PACKAGE_RELOCATABLE "true")
set(CPACK_PACKAGE_VENDOR "Humanity")
set(CPACK_PACKAGE_VERSION "0.1.0")
set(CPACK_PACKAGE_VERSION_MAJOR "0")
set(CPACK_PACKAGE_VERSION_MINOR "1")
set(CPACK_PACKAGE_VERSION_PATCH "0")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_READELF_EXECUTABLE "/usr/bin/readelf")
set(CPACK_RESOURCE_FILE_LICENSE "/usr/share/cmake-3.25/Templates/CPack.GenericLicense.txt")
set(CPACK_RESOURCE_FILE_README "/usr/share/cmake-3.25/Templates/CPack.GenericDescription.txt")
set(CPACK_RESOURCE_FILE_WELCOME "/usr/share/cmake-3.25/Templates/CPack.GenericWelcome.txt")
set(CPACK_SET_DESTDIR "OFF")
set(CPACK_SOURCE_GENERATOR "TBZ2;TGZ;TXZ;TZ")
set(CPACK_SOURCE_OUTPUT_CONFIG_FILE "/work/wt-S12/build2/CPackSourceConfig.cmake")
set(CPACK_SOURCE_RPM "OFF")
set(CPACK_SOURCE_TBZ2 "ON")
set(CPACK_SOURCE_TGZ "ON")
set(CPACK_SOURCE_TXZ "ON")
set(CPACK_SOURCE_TZ "ON")
set(CPACK_SOURCE_ZIP "OFF")
set(CPACK_STRIP_FILES "ON")
set(CPACK_SYSTEM_NAME "Linux")
set(CPACK_THREADS "1")
set(CPACK_TOPLEVEL_TAG "Linux")
set(CPACK_WIX_SIZEOF_VOID_P "8")

if(NOT CPACK_PROPERTIES_FILE)
  set(CPACK_PROPERTIES_FILE "/work/wt-S12/build2/CPackProperties.cmake")
endif()

if(EXISTS ${CPACK_PROPERTIES_FILE})
  include(${CPACK_PROPERTIES_FILE})
endif()

# wm/version.h is generated from the project version, so the macros, wm::version() and the
# installed CMake/pkg-config versions can never disagree. Modules find it through
# WM_GENERATED_INCLUDE_DIR (added to their include path by wm_module()).
set(WM_GENERATED_INCLUDE_DIR ${CMAKE_BINARY_DIR}/generated/include)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in ${WM_GENERATED_INCLUDE_DIR}/wm/version.h @ONLY)

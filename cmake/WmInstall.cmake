# `cmake --install BUILD [--prefix DIR]` puts in DIR:
#   include/wm/*.h, *.hpp            the public headers (C++ and the C API wm/wm.h)
#   LIBDIR/libwm.so.0.1.0, libwm.a   one shared and one static library
#   LIBDIR/cmake/wm/                 find_package(wm 0.1) -> wm::wm (shared); COMPONENTS static
#                                    adds wm::wm_static
#   LIBDIR/pkgconfig/wm.pc           pkg-config; media libraries in Requires.private
#   bin/wmscan                       the CLI
# Include this after cmake/WmLibrary.cmake.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WM_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/wm)

# pkg-config modules behind each dependency target the modules link. A header-only target
# needs nothing at link time. A target missing from this table is reported so that whoever
# added it can list it here (the installed wm.pc and static package would otherwise lack it).
set(WM_PC_REQUIRES_PRIVATE "")
foreach(dependency IN LISTS WM_LINK_DEPENDENCIES)
  if(dependency STREQUAL "PkgConfig::FFMPEG")
    list(APPEND WM_PC_REQUIRES_PRIVATE libavformat libavcodec libavutil libswresample libswscale)
  elseif(dependency STREQUAL "PkgConfig::FFTW3")
    list(APPEND WM_PC_REQUIRES_PRIVATE fftw3f fftw3)
  elseif(dependency STREQUAL "ZLIB::ZLIB")
    list(APPEND WM_PC_REQUIRES_PRIVATE zlib)
  elseif(dependency STREQUAL "PkgConfig::TESSERACT")
    list(APPEND WM_PC_REQUIRES_PRIVATE tesseract lept)
  elseif(dependency MATCHES "^opencv_")
    list(APPEND WM_PC_REQUIRES_PRIVATE opencv4)
  elseif(dependency MATCHES "^(nlohmann_json::nlohmann_json|Eigen3::Eigen)$")
  else()
    message(AUTHOR_WARNING "libwm links ${dependency}: add its pkg-config name to cmake/WmInstall.cmake")
  endif()
endforeach()
list(REMOVE_DUPLICATES WM_PC_REQUIRES_PRIVATE)
list(JOIN WM_PC_REQUIRES_PRIVATE " " WM_PC_REQUIRES_PRIVATE_LINE)

install(TARGETS wm EXPORT wmTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development)
install(TARGETS wm_static EXPORT wmStaticTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/libwm/include/wm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT development FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES ${WM_GENERATED_INCLUDE_DIR}/wm/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wm
  COMPONENT development)

install(EXPORT wmTargets NAMESPACE wm:: DESTINATION ${WM_CMAKE_INSTALL_DIR} COMPONENT development)
install(EXPORT wmStaticTargets NAMESPACE wm:: DESTINATION ${WM_CMAKE_INSTALL_DIR} COMPONENT development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/wmConfig.cmake.in
  ${CMAKE_BINARY_DIR}/package/wmConfig.cmake INSTALL_DESTINATION ${WM_CMAKE_INSTALL_DIR})
# 0.x: a 0.1 request accepts 0.1.*, not 0.2.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/wmConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/package/wmConfig.cmake ${CMAKE_BINARY_DIR}/package/wmConfigVersion.cmake
  DESTINATION ${WM_CMAKE_INSTALL_DIR} COMPONENT development)

# wm.pc finds its prefix relative to itself, so an install moved with --prefix still works.
file(RELATIVE_PATH WM_PC_RELATIVE_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" WM_PC_RELATIVE_PREFIX "${WM_PC_RELATIVE_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/wm.pc.in ${CMAKE_BINARY_DIR}/package/wm.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/package/wm.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT development)

if(TARGET wmscan)
  set_target_properties(wmscan PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
  install(TARGETS wmscan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
endif()

# The library a host links: libwm.so (target `wm`, alias wm::wm) and libwm.a (target
# `wm_static`, alias wm::wm_static), both made of the objects of every module registered by
# wm_module() (core, io, report, meta, scan, the detector families that are built, capi).
#
# The modules stay static libraries of their own so each one's include rules are checked and
# the unit tests link exactly one module; their objects are compiled once (PIC, hidden
# visibility) and reused here. Only WM_EXPORT declarations leave libwm.so.
#
# Include this after the last wm_module()/wm_family() call.

include(GNUInstallDirs)
get_property(wm_modules GLOBAL PROPERTY WM_MODULES)

# Everything the modules link that is not another module: FFmpeg, FFTW, OpenCV, ...
set(WM_LINK_DEPENDENCIES "")
set(wm_objects "")
foreach(module IN LISTS wm_modules)
  list(APPEND wm_objects $<TARGET_OBJECTS:${module}>)
  get_target_property(module_links ${module} LINK_LIBRARIES)
  if(module_links)
    foreach(item IN LISTS module_links)
      if(NOT item IN_LIST wm_modules)
        list(APPEND WM_LINK_DEPENDENCIES ${item})
      endif()
    endforeach()
  endif()
endforeach()
list(REMOVE_DUPLICATES WM_LINK_DEPENDENCIES)

add_library(wm SHARED ${wm_objects})
add_library(wm_static STATIC ${wm_objects})
add_library(wm::wm ALIAS wm)
add_library(wm::wm_static ALIAS wm_static)

foreach(target wm wm_static)
  add_dependencies(${target} ${wm_modules})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME wm LINKER_LANGUAGE CXX)
  target_include_directories(${target} INTERFACE
    $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/libwm/include>
    $<BUILD_INTERFACE:${WM_GENERATED_INCLUDE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${target} INTERFACE cxx_std_20)
  # Build-tree only: installed packages re-find these (cmake/wmConfig.cmake.in, wm.pc).
  foreach(dependency IN LISTS WM_LINK_DEPENDENCIES)
    target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:${dependency}>)
  endforeach()
endforeach()

# 0.x: every minor release may change the ABI, so the soname carries major.minor.
set_target_properties(wm PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
# Every symbol must resolve inside the library or its dependencies. Not with sanitizers: GCC
# links their runtimes into executables only, so a sanitized .so has them undefined on purpose.
if(NOT WM_SANITIZE)
  target_link_options(wm PRIVATE "LINKER:--no-undefined")
endif()
set_target_properties(wm_static PROPERTIES EXPORT_NAME wm_static)

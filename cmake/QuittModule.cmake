# quitt_module(NAME <target> DIR <folder> [DEPS ...] [PUBLIC_DEPS ...])
#
# One library per folder: every *.cc below DIR except *_test.cc is compiled into the library
# `quitt_<NAME>`; every *_test.cc becomes part of the test program `quitt_<NAME>_tests`, which is
# registered with CTest. Files are globbed so adding a module file needs no CMake edit; the arrows
# between libraries are what this file and the layer test protect.
#
# A subfolder with its own CMakeLists.txt is a module of its own (e.g. src/domain/ledger →
# quitt_domain_ledger): its files are left out here and the parent adds it with add_subdirectory.
function(quitt_module)
  cmake_parse_arguments(M "" "NAME;DIR" "DEPS;PUBLIC_DEPS;TEST_DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${M_DIR}/*.cc)
  file(GLOB_RECURSE nested_lists CONFIGURE_DEPENDS ${M_DIR}/*/CMakeLists.txt)
  foreach(list_file ${nested_lists})
    get_filename_component(nested_dir ${list_file} DIRECTORY)
    list(FILTER sources EXCLUDE REGEX "^${nested_dir}/")
  endforeach()
  set(lib_sources "")
  set(test_sources "")
  foreach(file ${sources})
    if(file MATCHES "_test\\.cc$")
      list(APPEND test_sources ${file})
    elseif(file MATCHES "_fuzz\\.cc$")
      # fuzz targets are built by the fuzz preset only
    else()
      list(APPEND lib_sources ${file})
    endif()
  endforeach()
  set(target quitt_${M_NAME})
  if(lib_sources)
    add_library(${target} STATIC ${lib_sources})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_compile_options(${target} PRIVATE ${QUITT_WARNINGS})
    target_link_libraries(${target} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_DEPS})
  else()
    # A layer without sources yet still exists, so the arrows can be declared today.
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} INTERFACE ${M_PUBLIC_DEPS} ${M_DEPS})
  endif()
  if(test_sources)
    add_executable(${target}_tests ${test_sources})
    target_compile_options(${target}_tests PRIVATE ${QUITT_WARNINGS})
    target_compile_definitions(${target}_tests PRIVATE
      QUITT_SHARED_DIR="${QUITT_SHARED_DIR}" QUITT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    target_link_libraries(${target}_tests PRIVATE ${target} ${M_PUBLIC_DEPS} ${M_DEPS} ${M_TEST_DEPS}
      GTest::gtest GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${target}_tests
      PROPERTIES ENVIRONMENT "TZ=Europe/Berlin" LABELS "fast;${M_NAME}"
      DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

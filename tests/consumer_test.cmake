# consumer_test.cmake — install a build tree and build a consumer against it.
#
#   cmake -DBUILD_DIR=<build> -DCONSUMER_DIR=<tests/consumer> -DWORK_DIR=<scratch>
#         -DC_COMPILER=<cc> -DPKG_CONFIG=<pkg-config> -DLIBDIR=<lib dir, relative>
#         -DINCLUDEDIR=<include dir, relative> -DLIB_TYPE=<STATIC_LIBRARY|SHARED_LIBRARY>
#         [-DLINK_FLAGS=<flags separated by |>] [-DCONFIG=<config>]
#         -P consumer_test.cmake
#
# 1. cmake --install BUILD_DIR --prefix WORK_DIR/prefix
# 2. the consumer with find_package(mtrr) + mtrr::mtrr, built and run;
# 3. the consumer with `pkg-config --cflags --libs mtrr` and plain cc, run;
# 4. the prefix copied elsewhere and the original deleted: 3 and 2 again, so
#    mtrr.pc and the CMake package are relocatable.
#
# LINK_FLAGS carries what an instrumented library needs at link time
# (-fsanitize=..., --coverage) when the build under test has MTRR_SANITIZE or
# the Coverage build type; it is empty for a normal build.
cmake_minimum_required(VERSION 3.16)

foreach(var BUILD_DIR CONSUMER_DIR WORK_DIR C_COMPILER PKG_CONFIG LIBDIR INCLUDEDIR LIB_TYPE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "consumer_test.cmake: -D${var}=... is required")
  endif()
endforeach()
string(REPLACE "|" ";" link_flags "${LINK_FLAGS}")
if(LIB_TYPE STREQUAL "SHARED_LIBRARY")
  set(shared ON)
else()
  set(shared OFF)
endif()

# Runs a command, fails the test with its output when it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_ok what output)
  if(NOT output MATCHES "consumer ok")
    message(FATAL_ERROR "${what}: the consumer did not report success:\n${output}")
  endif()
  string(STRIP "${output}" output)
  message(STATUS "${what}: ${output}")
endfunction()

function(check_tree prefix)
  foreach(f ${INCLUDEDIR}/mtrr.h ${LIBDIR}/pkgconfig/mtrr.pc
            ${LIBDIR}/cmake/mtrr/mtrrConfig.cmake ${LIBDIR}/cmake/mtrr/mtrrConfigVersion.cmake
            ${LIBDIR}/cmake/mtrr/mtrrTargets.cmake)
    if(NOT EXISTS ${prefix}/${f})
      message(FATAL_ERROR "not installed: ${prefix}/${f}")
    endif()
  endforeach()
  file(GLOB_RECURSE internal ${prefix}/*internal.h)
  if(internal)
    message(FATAL_ERROR "a private header is installed: ${internal}")
  endif()
endfunction()

function(with_cmake prefix tag)
  set(dir ${WORK_DIR}/cmake-${tag})
  set(config_args)
  if(CONFIG)
    set(config_args --config ${CONFIG})
  endif()
  run("configure consumer (${tag})" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${dir}
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    -DMTRR_EXPECT_PREFIX=${prefix} -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS_SPACED}")
  run("build consumer (${tag})" ${CMAKE_COMMAND} --build ${dir} ${config_args})
  if(EXISTS ${dir}/consumer)
    set(exe ${dir}/consumer)
  else()
    file(GLOB_RECURSE exe ${dir}/consumer ${dir}/consumer.exe)
  endif()
  run("run consumer (${tag})" ${exe})
  expect_ok("find_package, ${tag}" "${run_output}")
endfunction()

function(with_pkg_config prefix tag)
  set(env ${CMAKE_COMMAND} -E env PKG_CONFIG_LIBDIR=${prefix}/${LIBDIR}/pkgconfig
      PKG_CONFIG_PATH=)
  run("pkg-config (${tag})" ${env} ${PKG_CONFIG} --cflags --libs mtrr)
  string(STRIP "${run_output}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run("pkg-config libdir (${tag})" ${env} ${PKG_CONFIG} --variable=libdir mtrr)
  string(STRIP "${run_output}" libdir)
  get_filename_component(libdir "${libdir}" REALPATH)
  get_filename_component(want "${prefix}/${LIBDIR}" REALPATH)
  if(NOT libdir STREQUAL want)
    message(FATAL_ERROR "mtrr.pc libdir is ${libdir}, want ${want}: not relocatable")
  endif()
  set(rpath)
  if(shared)
    set(rpath -Wl,-rpath,${libdir})
  endif()
  set(exe ${WORK_DIR}/pc-${tag})
  run("cc consumer (${tag})" ${C_COMPILER} -std=c99 -Wall -Wextra -Wpedantic -Werror
    ${CONSUMER_DIR}/consumer.c -o ${exe} ${flags} ${link_flags} ${rpath})
  run("run pc consumer (${tag})" ${exe})
  expect_ok("pkg-config, ${tag}" "${run_output}")
endfunction()

string(REPLACE ";" " " LINK_FLAGS_SPACED "${link_flags}")
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(prefix ${WORK_DIR}/prefix)
set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} ${config_args})
check_tree(${prefix})

# A shared build exports mtrr_* and nothing else, not even the internal
# mtrr__* helpers (hidden visibility).  Only
# checked for plain builds: instrumentation adds runtime symbols.
if(shared AND NOT link_flags)
  find_program(NM nm)
  file(GLOB sos ${prefix}/${LIBDIR}/libmtrr.so.*)
  if(NM AND sos)
    list(GET sos 0 so)
    run("nm -D" ${NM} -D --defined-only ${so})
    string(REGEX MATCHALL "[^\n]+" lines "${run_output}")
    foreach(line ${lines})
      if(NOT line MATCHES " mtrr_[a-z][a-z0-9_]*$")
        message(FATAL_ERROR "exported symbol outside mtrr_*: ${line}")
      endif()
    endforeach()
  endif()
endif()

with_cmake(${prefix} installed)
with_pkg_config(${prefix} installed)

# Copy the tree elsewhere and delete the original: nothing may point back.
set(moved ${WORK_DIR}/moved/elsewhere)
file(MAKE_DIRECTORY ${moved})
file(COPY ${prefix}/ DESTINATION ${moved})
file(REMOVE_RECURSE ${prefix})
with_pkg_config(${moved} moved)
with_cmake(${moved} moved)

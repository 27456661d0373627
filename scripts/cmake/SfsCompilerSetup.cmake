# Compiler set-up shared by every target: warnings, ccache, the torch boundary check, fuzzers.

# ccache, with the settings that let precompiled headers and fresh clones in other folders hit.
find_program(SFS_CCACHE_PROGRAM ccache)
if(SFS_CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env
        "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}"
        "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
        "CCACHE_NOHASHDIR=1"
        ${SFS_CCACHE_PROGRAM})
endif()

# Warnings for our own code. Third-party headers come in as SYSTEM and stay quiet.
function(sfs_set_warnings target)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                                                 -Wno-missing-field-initializers)
        if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
            target_compile_options(${target} PRIVATE -Wshadow=local)
        else()
            target_compile_options(${target} PRIVATE -Wshadow-uncaptured-local)
        endif()
        if(SFS_WERROR)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()

# Settings for a target of ours: warnings, and Qt keywords off (torch has methods named slots()).
function(sfs_target_defaults target)
    sfs_set_warnings(${target})
    target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS QT_NO_CAST_FROM_BYTEARRAY
                                                 QT_NO_URL_CAST_FROM_STRING)
endfunction()

# A Qt-side module (core, ui, app) must never see torch. Debian installs ATen/ and c10/ straight
# into /usr/include, so not linking torch is not enough: scan the sources before they compile.
set(SFS_TORCH_BOUNDARY_DIRS "" CACHE INTERNAL "")
function(sfs_forbid_torch_in dir)
    set(SFS_TORCH_BOUNDARY_DIRS ${SFS_TORCH_BOUNDARY_DIRS} ${dir} CACHE INTERNAL "")
endfunction()

function(sfs_add_torch_boundary_check)
    set(stamp "${CMAKE_BINARY_DIR}/torch_boundary.ok")
    set(sources "")
    foreach(dir ${SFS_TORCH_BOUNDARY_DIRS})
        file(GLOB_RECURSE found CONFIGURE_DEPENDS "${dir}/*.h" "${dir}/*.hpp" "${dir}/*.cpp")
        list(APPEND sources ${found})
    endforeach()
    # The public inference headers are part of the boundary too.
    file(GLOB_RECURSE public CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/inference/include/*.h")
    list(APPEND sources ${public})
    set(list_file "${CMAKE_BINARY_DIR}/torch_boundary_files.txt")
    file(WRITE ${list_file} "${sources}")
    add_custom_command(
        OUTPUT ${stamp}
        COMMAND ${CMAKE_COMMAND} -DSTAMP=${stamp} -DLIST_FILE=${list_file}
                -P ${CMAKE_SOURCE_DIR}/scripts/cmake/CheckTorchBoundary.cmake
        DEPENDS ${sources} ${CMAKE_SOURCE_DIR}/scripts/cmake/CheckTorchBoundary.cmake
        COMMENT "Checking that no file outside inference/ includes torch headers"
        VERBATIM)
    add_custom_target(sfs_torch_boundary DEPENDS ${stamp})
    foreach(target sfs_core sfs_ui sfstudio sfstudio-cli)
        if(TARGET ${target})
            add_dependencies(${target} sfs_torch_boundary)
        endif()
    endforeach()
endfunction()

# libFuzzer targets need clang; with GCC the fuzz corpora still run through a plain driver.
set(SFS_BUILD_FUZZERS_ACTIVE OFF)
if(SFS_BUILD_FUZZERS)
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        set(SFS_BUILD_FUZZERS_ACTIVE ON)
    else()
        message(STATUS "SFS_BUILD_FUZZERS needs clang (CXX=clang++); corpora run as plain tests")
    endif()
endif()

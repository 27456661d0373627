# Compiler set-up shared by every target: warnings, ccache, the module boundaries, fuzzers.

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

# The torch and Qt boundaries between the modules.
include(SfsBoundaries)

# libFuzzer targets need clang; with GCC the fuzz corpora still run through a plain driver.
set(SFS_BUILD_FUZZERS_ACTIVE OFF)
if(SFS_BUILD_FUZZERS)
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        set(SFS_BUILD_FUZZERS_ACTIVE ON)
    else()
        message(STATUS "SFS_BUILD_FUZZERS needs clang (CXX=clang++); corpora run as plain tests")
    endif()
endif()

# The module boundaries, enforced both ways:
# - torch only in inference/: core, ui and app sources are scanned before they compile (Debian
#   installs ATen/ and c10/ straight into /usr/include, so not linking torch is not enough);
# - Qt never in inference/: its sources are scanned before sfs_inference compiles, and at
#   configure time sfs_inference may not link a Qt target, directly or through another target;
# - core/media never includes the project: frames, codecs, sources and sinks know no project
#   (project-aware code lives in core/render/).
# The scan is scripts/cmake/CheckIncludeBoundary.cmake; tests/build proves it rejects both.

set(SFS_TORCH_BOUNDARY_DIRS "" CACHE INTERNAL "")
function(sfs_forbid_torch_in dir)
    set(SFS_TORCH_BOUNDARY_DIRS ${SFS_TORCH_BOUNDARY_DIRS} ${dir} CACHE INTERNAL "")
endfunction()

# A build-time scan of `files` for the `forbid` kind of include (torch or qt): target sfs_<name>,
# which `targets` (those that exist) depend on. The list is ${CMAKE_BINARY_DIR}/<name>_files.txt.
function(sfs_add_include_scan name forbid files targets)
    set(stamp "${CMAKE_BINARY_DIR}/${name}.ok")
    set(list_file "${CMAKE_BINARY_DIR}/${name}_files.txt")
    file(WRITE ${list_file} "${files}")
    add_custom_command(
        OUTPUT ${stamp}
        COMMAND ${CMAKE_COMMAND} -DFORBID=${forbid} -DSTAMP=${stamp} -DLIST_FILE=${list_file}
                -P ${CMAKE_SOURCE_DIR}/scripts/cmake/CheckIncludeBoundary.cmake
        DEPENDS ${files} ${CMAKE_SOURCE_DIR}/scripts/cmake/CheckIncludeBoundary.cmake
        COMMENT "Checking the ${forbid} include boundary"
        VERBATIM)
    add_custom_target(sfs_${name} DEPENDS ${stamp})
    foreach(target ${targets})
        if(TARGET ${target})
            add_dependencies(${target} sfs_${name})
        endif()
    endforeach()
endfunction()

function(sfs_add_torch_boundary_check)
    set(sources "")
    foreach(dir ${SFS_TORCH_BOUNDARY_DIRS})
        file(GLOB_RECURSE found CONFIGURE_DEPENDS "${dir}/*.h" "${dir}/*.hpp" "${dir}/*.cpp")
        list(APPEND sources ${found})
    endforeach()
    # The public inference headers are part of the boundary too.
    file(GLOB_RECURSE public CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/inference/include/*.h")
    list(APPEND sources ${public})
    sfs_add_include_scan(torch_boundary torch "${sources}" "sfs_core;sfs_ui;sfstudio;sfstudio-cli")
endfunction()

# Fails the configure step when `target` links a Qt target (Qt*::*), directly or through the
# targets it links (a breadth-first walk over LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES).
function(sfs_forbid_qt_links target)
    set(seen "")
    set(queue ${target})
    while(queue)
        list(POP_FRONT queue current)
        if(current IN_LIST seen OR NOT TARGET ${current})
            continue()
        endif()
        list(APPEND seen ${current})
        get_target_property(links ${current} LINK_LIBRARIES)
        get_target_property(interface ${current} INTERFACE_LINK_LIBRARIES)
        foreach(lib ${links} ${interface})
            if(lib MATCHES "Qt[0-9]*::")
                message(FATAL_ERROR "${target} links ${lib} (through ${current}): Qt is not "
                                    "allowed in inference/, which must stay Qt-free.")
            endif()
            # $<LINK_ONLY:x> and other simple generator expressions wrap a target name.
            string(REGEX REPLACE "^\\$<[A-Z_]+:(.*)>$" "\\1" lib "${lib}")
            if(lib AND NOT lib MATCHES "-NOTFOUND$")
                list(APPEND queue ${lib})
            endif()
        endforeach()
    endwhile()
endfunction()

function(sfs_add_qt_boundary_check)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/inference/*.h"
         "${CMAKE_SOURCE_DIR}/inference/*.hpp" "${CMAKE_SOURCE_DIR}/inference/*.cpp"
         "${CMAKE_SOURCE_DIR}/inference/*.inc" "${CMAKE_SOURCE_DIR}/inference/*.in")
    sfs_add_include_scan(qt_boundary qt "${sources}" "sfs_inference")
    sfs_forbid_qt_links(sfs_inference)
endfunction()

# core/media (sources and public headers) is scanned before sfs_core compiles.
function(sfs_add_media_boundary_check core_dir)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${core_dir}/media/*.h" "${core_dir}/media/*.cpp"
         "${core_dir}/include/sfs/core/media/*.h")
    sfs_add_include_scan(media_boundary media "${sources}" "sfs_core")
endfunction()

# core/media never includes the project: scanned before sfs_core compiles by the torch
# boundary's scanner (CheckTorchBoundary.cmake) with its media rule.
function(sfs_forbid_project_in_media core_dir)
    file(GLOB_RECURSE files CONFIGURE_DEPENDS "${core_dir}/media/*.h" "${core_dir}/media/*.cpp"
         "${core_dir}/include/sfs/core/media/*.h")
    set(list_file "${CMAKE_BINARY_DIR}/media_boundary_files.txt")
    file(WRITE ${list_file} "${files}")
    set(stamp "${CMAKE_BINARY_DIR}/media_boundary.ok")
    set(script "${CMAKE_SOURCE_DIR}/scripts/cmake/CheckTorchBoundary.cmake")
    add_custom_command(
        OUTPUT ${stamp}
        COMMAND ${CMAKE_COMMAND} -DRULE=media -DSTAMP=${stamp} -DLIST_FILE=${list_file} -P ${script}
        DEPENDS ${files} ${script}
        COMMENT "Checking that core/media includes no project or render header"
        VERBATIM)
    add_custom_target(sfs_media_boundary DEPENDS ${stamp})
    add_dependencies(sfs_core sfs_media_boundary)
endfunction()

# cmake -DLIST_FILE=files.txt [-DSTAMP=out] -P CheckTorchBoundary.cmake   (or -DFILES=one/file.h)
# LIST_FILE holds a ;-separated list of files.
# Fails when any file includes a torch, ATen or c10 header. Used by the build and by a test.
# -DRULE=media runs the same scan for another rule: core/media includes no project or render
# header (SfsMediaBoundary.cmake).
set(forbidden "(torch|ATen|c10|caffe2)/")
if(RULE STREQUAL "media")
    set(forbidden "(sfs/core/)?(project|render)/")
endif()
set(bad "")
if(LIST_FILE)
    file(READ "${LIST_FILE}" FILES)
endif()
foreach(f ${FILES})
    if(EXISTS "${f}")
        file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]${forbidden}")
        if(lines)
            list(APPEND bad "${f}")
        endif()
    endif()
endforeach()
if(bad AND RULE STREQUAL "media")
    list(JOIN bad "\n  " listing)
    message(FATAL_ERROR "core/media must not include project or render headers (frames and codecs "
                        "know no project). These files do:\n  ${listing}\n"
                        "Move the project-aware part to core/render/.")
elseif(bad)
    list(JOIN bad "\n  " listing)
    message(FATAL_ERROR "Torch headers are only allowed in inference/*.cpp and inference/*/ "
                        "internal headers. These files include them:\n  ${listing}\n"
                        "Use the torch-free API in inference/include/sfs/inference/ instead.")
endif()
if(STAMP)
    file(TOUCH "${STAMP}")
endif()

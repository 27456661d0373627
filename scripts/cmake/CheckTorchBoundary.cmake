# cmake -DLIST_FILE=files.txt [-DSTAMP=out] -P CheckTorchBoundary.cmake   (or -DFILES=one/file.h)
# LIST_FILE holds a ;-separated list of files.
# Fails when any file includes a torch, ATen or c10 header. Used by the build and by a test.
set(bad "")
if(LIST_FILE)
    file(READ "${LIST_FILE}" FILES)
endif()
foreach(f ${FILES})
    if(EXISTS "${f}")
        file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](torch|ATen|c10|caffe2)/")
        if(lines)
            list(APPEND bad "${f}")
        endif()
    endif()
endforeach()
if(bad)
    list(JOIN bad "\n  " listing)
    message(FATAL_ERROR "Torch headers are only allowed in inference/*.cpp and inference/*/ "
                        "internal headers. These files include them:\n  ${listing}\n"
                        "Use the torch-free API in inference/include/sfs/inference/ instead.")
endif()
if(STAMP)
    file(TOUCH "${STAMP}")
endif()

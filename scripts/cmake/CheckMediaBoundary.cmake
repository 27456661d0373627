# cmake -DLIST_FILE=files.txt [-DSTAMP=out] -P CheckMediaBoundary.cmake   (or -DFILES=one/file.h)
# LIST_FILE holds a ;-separated list of files: the sources and headers of core/media.
# Fails when any of them includes a project or render header: media (frames, codecs, sources,
# sinks) knows nothing of projects, so the engine and tools can use it without one.
set(bad "")
if(LIST_FILE)
    file(READ "${LIST_FILE}" FILES)
endif()
foreach(f ${FILES})
    if(EXISTS "${f}")
        file(STRINGS "${f}" lines
             REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](sfs/core/)?(project|render)/")
        if(lines)
            list(APPEND bad "${f}")
        endif()
    endif()
endforeach()
if(bad)
    list(JOIN bad "\n  " listing)
    message(FATAL_ERROR "core/media must not include project or render headers "
                        "(sfs/core/project/, sfs/core/render/). These files do:\n  ${listing}\n"
                        "Move the project-aware part to core/render/.")
endif()
if(STAMP)
    file(TOUCH "${STAMP}")
endif()

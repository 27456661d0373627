# cmake -DFORBID=torch|qt|media (-DLIST_FILE=files.txt | -DFILES=one/file.h) [-DSTAMP=out]
#       -P CheckIncludeBoundary.cmake
# LIST_FILE holds a ;-separated list of files. Fails naming every file that includes a forbidden
# header: FORBID=torch (the files outside inference/): torch, ATen, c10 or caffe2 headers;
# FORBID=qt (the files of inference/): Qt headers (<QString>, <QtCore/QObject>, "QObject.h",
# <qglobal.h>); FORBID=media (the files of core/media): project or render headers, since frames
# and codecs know no project. Used by the build and by the tests in tests/build.
if(FORBID STREQUAL "torch")
    set(pattern "^[ \t]*#[ \t]*include[ \t]*[<\"](torch|ATen|c10|caffe2)/")
    set(rule "Torch headers are only allowed in inference/*.cpp and inference/*/ internal headers.")
    set(advice "Use the torch-free API in inference/include/sfs/inference/ instead.")
elseif(FORBID STREQUAL "qt")
    set(pattern
        "^[ \t]*#[ \t]*include[ \t]*[<\"](Qt[A-Za-z0-9]*[/>\"]|Q[A-Z][A-Za-z0-9]*(\\.h)?[>\"]|q[a-z0-9]+\\.h>)")
    set(rule "Qt is not allowed in inference/: the library is Qt-free.")
    set(advice "Pass std types through inference's API; Qt conversions belong in core/.")
elseif(FORBID STREQUAL "media")
    set(pattern "^[ \t]*#[ \t]*include[ \t]*[<\"](sfs/core/)?(project|render)/")
    set(rule "core/media must not include project or render headers (frames and codecs know no project).")
    set(advice "Move the project-aware part to core/render/.")
else()
    message(FATAL_ERROR "CheckIncludeBoundary.cmake: FORBID must be torch, qt or media, not '${FORBID}'")
endif()

set(bad "")
if(LIST_FILE)
    file(READ "${LIST_FILE}" FILES)
endif()
foreach(f ${FILES})
    if(EXISTS "${f}")
        file(STRINGS "${f}" lines REGEX "${pattern}")
        if(lines)
            list(APPEND bad "${f}")
        endif()
    endif()
endforeach()
if(bad)
    list(JOIN bad "\n  " listing)
    message(FATAL_ERROR "${rule} These files include them:\n  ${listing}\n${advice}")
endif()
if(STAMP)
    file(TOUCH "${STAMP}")
endif()

# Installs BINARY_DIR into PREFIX and checks the files a desktop package needs.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BINARY_DIR}" --prefix "${PREFIX}"
    RESULT_VARIABLE code OUTPUT_QUIET)
if(NOT code EQUAL 0)
    message(FATAL_ERROR "cmake --install failed with ${code}")
endif()
foreach(f
        bin/sfstudio
        bin/sfstudio-cli
        share/applications/io.sfstudio.sfstudio.desktop
        share/metainfo/io.sfstudio.sfstudio.metainfo.xml
        share/mime/packages/io.sfstudio.sfstudio.xml
        share/icons/hicolor/scalable/apps/io.sfstudio.sfstudio.svg
        share/icons/hicolor/256x256/apps/io.sfstudio.sfstudio.png)
    if(NOT EXISTS "${PREFIX}/${f}")
        message(FATAL_ERROR "missing after install: ${f}")
    endif()
endforeach()
file(READ "${PREFIX}/share/applications/io.sfstudio.sfstudio.desktop" desktop)
if(NOT desktop MATCHES "Exec=sfstudio" OR NOT desktop MATCHES "Icon=io.sfstudio.sfstudio")
    message(FATAL_ERROR "desktop file does not launch sfstudio with its icon")
endif()
file(REMOVE_RECURSE "${PREFIX}")

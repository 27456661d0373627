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
        share/icons/hicolor/256x256/apps/io.sfstudio.sfstudio.png
        # Beside the program, where the studio looks first (ui/src/installed_files.h).
        share/doc/sfstudio/user-guide.md
        share/sfstudio/examples/paper-boat.sfsproj)
    if(NOT EXISTS "${PREFIX}/${f}")
        message(FATAL_ERROR "missing after install: ${f}")
    endif()
endforeach()
# The SentencePiece module (SPM_MODULE, relative to PREFIX), and the installed CLI loading it
# from there (relative to its own location) and tokenizing with it.
if(SPM_MODULE)
    if(NOT EXISTS "${PREFIX}/${SPM_MODULE}")
        message(FATAL_ERROR "missing after install: ${SPM_MODULE}")
    endif()
    execute_process(COMMAND "${PREFIX}/bin/sfstudio-cli" tokenize --tokenizer "${SPIECE}"
                            --text-len 8 "a cat"
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    get_filename_component(module "${PREFIX}/${SPM_MODULE}" ABSOLUTE)
    string(FIND "${out}" "(module ${module})" at)
    if(NOT code EQUAL 0 OR at EQUAL -1)
        message(FATAL_ERROR "the installed sfstudio-cli did not tokenize with the installed "
                            "module ${module} (exit ${code}):\n${out}${err}")
    endif()
endif()
file(READ "${PREFIX}/share/applications/io.sfstudio.sfstudio.desktop" desktop)
if(NOT desktop MATCHES "Exec=sfstudio" OR NOT desktop MATCHES "Icon=io.sfstudio.sfstudio")
    message(FATAL_ERROR "desktop file does not launch sfstudio with its icon")
endif()
file(REMOVE_RECURSE "${PREFIX}")

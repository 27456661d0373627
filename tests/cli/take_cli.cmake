# A take's round trip through sfstudio-cli: export it from a project to MP4, read the clip back
# as a project (project check), write that project out (project extract) and compare it with the
# project the clip carries; the extracted project then exports again.
#   PROGRAM FFMPEG FFPROBE WORK   tools and a scratch folder (emptied first)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/in")
execute_process(COMMAND ${FFMPEG} -v error -f lavfi -i testsrc2=size=320x180:rate=16
                        -frames:v 21 "${WORK}/in/f_%d.png"
    RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 0)
    message(FATAL_ERROR "ffmpeg could not make the input frames: ${err}")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/make_take_project.cmake)

# run(EXIT code MATCH regex ARGS ...): one CLI run, its exit code and output checked.
function(run)
    cmake_parse_arguments(R "" "EXIT;MATCH" "ARGS" ${ARGN})
    execute_process(COMMAND ${PROGRAM} ${R_ARGS}
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(REPLACE "\n" " " flat "${out}${err}")
    if(NOT "${code}" STREQUAL "${R_EXIT}" OR NOT flat MATCHES "${R_MATCH}")
        message(FATAL_ERROR "sfstudio-cli ${R_ARGS}: exit ${code} (expected ${R_EXIT}), output "
                            "should match '${R_MATCH}':\n${out}${err}")
    endif()
    message(STATUS "ok: sfstudio-cli ${R_ARGS}\n${out}${err}")
endfunction()

run(EXIT 0 MATCH "Wrote 8 frames of take t1"
    ARGS export "${WORK}/story.sfsproj" "${WORK}/clip.mp4" --in 2 --out 9)
run(EXIT 0
    MATCH "clip.mp4: OK .*seed 777.*keyframes +1 at frames 0.*prompts +2 starting at frames 0, 9.*takes +0.*assets +1 referenced, [0-9.]+ KB, recovered from the export.*exported +take t1, frames 2-9 at 16 fps.*from +.*story.sfsproj"
    ARGS project check "${WORK}/clip.mp4")
run(EXIT 0 MATCH "Wrote .*back.sfsproj \\(take t1's storyboard and settings, 1 keyframes, 1 images"
    ARGS project extract "${WORK}/clip.mp4" "${WORK}/back")
run(EXIT 0 MATCH "back.sfsproj: OK.*seed 777" ARGS project check "${WORK}/back.sfsproj")

# The extracted file is the project the clip carries.
execute_process(COMMAND ${FFPROBE} -v error -show_entries format_tags=org.sfstudio.provenance
                        -of default=noprint_wrappers=1:nokey=1 "${WORK}/clip.mp4"
    OUTPUT_VARIABLE provenance RESULT_VARIABLE code)
string(JSON embedded GET "${provenance}" project)
file(READ "${WORK}/back.sfsproj" extracted)
string(JSON same EQUAL "${embedded}" "${extracted}")
if(NOT same)
    message(FATAL_ERROR "the extracted project differs from the clip's:\n${extracted}\n${embedded}")
endif()

# A sequence's sidecar reads back the same way.
run(EXIT 0 MATCH "Wrote 3 frames of take t1 \\(exr images"
    ARGS export "${WORK}/story.sfsproj" "${WORK}/seq/shot.####.exr" --in 4 --out 6)
run(EXIT 0 MATCH "shot.sfstudio.json: OK .*seed 777.*exported +take t1, frames 4-6 at 16 fps"
    ARGS project check "${WORK}/seq/shot.sfstudio.json")

# An existing project is not replaced without --force; nothing else is touched.
run(EXIT 1 MATCH "back.sfsproj: already exists \\(--force replaces it\\)"
    ARGS project extract "${WORK}/clip.mp4" "${WORK}/back.sfsproj")
run(EXIT 0 MATCH "Wrote " ARGS project extract "${WORK}/clip.mp4" "${WORK}/back.sfsproj" --force)

# A clip that is not an sfstudio export: a clear error and no project left behind.
execute_process(COMMAND ${FFMPEG} -v error -f lavfi -i testsrc2=size=64x64:rate=16 -frames:v 2
                        "${WORK}/plain.mp4")
run(EXIT 1 MATCH "plain.mp4: carries no sfstudio provenance"
    ARGS project extract "${WORK}/plain.mp4" "${WORK}/plain")
if(EXISTS "${WORK}/plain.sfsproj" OR EXISTS "${WORK}/plain.sfsproj.assets")
    message(FATAL_ERROR "a failed extract left files behind")
endif()

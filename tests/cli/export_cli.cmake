# One `sfstudio-cli export` scenario end to end: makes a folder of frames with the ffmpeg tool,
# runs the CLI, checks its exit code and output, then probes what it wrote.
#   PROGRAM FFMPEG FFPROBE WORK   tools and a scratch folder (emptied first)
#   FRAMES                        frames to make in WORK/in (320x180 PNG), 0 for none
#   PROJECT                       also make WORK/story.sfsproj with those frames as take t1
#   ARGS                          CLI arguments (;-list); @W@ stands for WORK
#   EXPECT_EXIT EXPECT_MATCH      exit code and a regex over stdout+stderr
#   PROBE PROBE_MATCH             a file under WORK for ffprobe, and a regex over its report
#   LIST LIST_MATCH               a folder under WORK, and a regex over its sorted listing
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/in")
if(FRAMES GREATER 0)
    execute_process(COMMAND ${FFMPEG} -v error -f lavfi -i testsrc2=size=320x180:rate=16
                            -frames:v ${FRAMES} "${WORK}/in/f_%d.png"
        RESULT_VARIABLE code ERROR_VARIABLE err)
    if(NOT code EQUAL 0)
        message(FATAL_ERROR "ffmpeg could not make the input frames: ${err}")
    endif()
endif()
file(WRITE "${WORK}/provenance.json" "{\"seed\": 4242, \"prompt\": \"a fox in the snow\"}")
if(PROJECT)
    include(${CMAKE_CURRENT_LIST_DIR}/make_take_project.cmake)
endif()

# The run and its checks are run_cli.cmake's.
string(REPLACE "@W@" "${WORK}" ARGS "${ARGS}")
include(${CMAKE_CURRENT_LIST_DIR}/run_cli.cmake)

if(PROBE)
    execute_process(COMMAND ${FFPROBE} -v error -count_frames -show_streams -show_format
                            "${WORK}/${PROBE}"
        RESULT_VARIABLE code OUTPUT_VARIABLE report ERROR_VARIABLE err)
    string(REPLACE "\n" " " report "${report}")
    if(NOT code EQUAL 0 OR NOT report MATCHES "${PROBE_MATCH}")
        message(FATAL_ERROR "ffprobe of ${PROBE} does not match '${PROBE_MATCH}':\n${report}${err}")
    endif()
endif()
if(LIST)
    file(GLOB entries RELATIVE "${WORK}/${LIST}" "${WORK}/${LIST}/*" "${WORK}/${LIST}/.*")
    list(SORT entries)
    string(REPLACE ";" " " listing "${entries}")
    if(NOT listing MATCHES "${LIST_MATCH}")
        message(FATAL_ERROR "the folder ${LIST} holds '${listing}', expected '${LIST_MATCH}'")
    endif()
endif()

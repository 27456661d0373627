# `sfstudio-cli batch` without a scheduler (the farm label has the Slurm end to end). One
# scenario per ctest (CASE):
#   PROGRAM FFMPEG WORK   the CLI, ffmpeg (to compare decoded frames), a scratch folder
#   bad_input   plan's item lines and every refusal: nothing runs, nothing is submitted
#   run_item    `batch run --item` = `render` frame for frame (MP4), skip when done, status,
#               collect; the project file and its assets untouched
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/projects")

file(WRITE "${WORK}/projects/tiny.sfsproj" [=[{
    "format": "sfstudio-project", "version": 1, "fps": 16, "durationFrames": 21,
    "settings": {"width": 64, "height": 64, "seed": 3, "steps": [1000, 750, 500, 250],
                 "decoder": "taehv", "attentionWindow": 0, "sinkFrames": 0, "device": "cpu",
                 "modelFolder": ""},
    "keyframes": [],
    "prompts": [{"id": "p1", "start": 0, "text": "A paper boat drifts down a rainy street."}],
    "takes": []
}
]=])
file(READ "${WORK}/projects/tiny.sfsproj" tinyBytes HEX)

# run(EXIT code MATCH regex ARGS ...): one CLI run, its exit code and output checked.
function(run)
    cmake_parse_arguments(R "" "EXIT;MATCH" "ARGS" ${ARGN})
    execute_process(COMMAND ${PROGRAM} ${R_ARGS} WORKING_DIRECTORY "${WORK}"
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(REPLACE "\n" " " flat "${out}${err}")
    if(NOT "${code}" STREQUAL "${R_EXIT}" OR NOT flat MATCHES "${R_MATCH}")
        message(FATAL_ERROR "sfstudio-cli ${R_ARGS}: exit ${code} (expected ${R_EXIT}), output "
                            "should match '${R_MATCH}':\n${out}${err}")
    endif()
    message(STATUS "ok: sfstudio-cli ${R_ARGS}\n${out}${err}")
endfunction()

# batch(NAME OUTPUT ITEMS): WORK/NAME.json with that output pattern and items list.
function(batch name output items)
    file(WRITE "${WORK}/${name}.json"
        "{\"format\": \"sfstudio-batch\", \"version\": 1, \"output\": \"${output}\", \"items\": ${items}}")
endfunction()

if(CASE STREQUAL "bad_input")
    batch(good "renders/{project}-{seed}.mp4"
        [=[[{"project": "projects/tiny.sfsproj", "seeds": [5, 6], "frames": 9, "model": "demo"}]]=])
    run(EXIT 0 MATCH "^0000  projects/tiny.sfsproj  seed 5  renders/tiny-5.mp4 0001  projects/tiny.sfsproj  seed 6  renders/tiny-6.mp4 2 items: every project and model checked"
        ARGS batch plan good.json)
    # The file itself.
    file(WRITE "${WORK}/broken.json" "{\"format\": \"sfstudio-batch\",\n\"version\": 1,\n\"items\": [}")
    run(EXIT 1 MATCH "batch plan: .*broken.json: malformed JSON at line 3"
        ARGS batch plan broken.json)
    run(EXIT 1 MATCH "nowhere.json: no such file" ARGS batch plan nowhere.json)
    file(WRITE "${WORK}/newer.json" [=[{"format": "sfstudio-batch", "version": 3, "output": "o/", "items": []}]=])
    run(EXIT 1 MATCH "newer.json: /version: the file is batch format version 3, written by a newer sfstudio"
        ARGS batch submit newer.json --slurm)
    batch(same "renders/{project}.mp4" [=[[{"project": "projects/tiny.sfsproj", "seeds": [5, 6]}]]=])
    run(EXIT 1 MATCH "same.json: /output: item 0 \\(tiny.sfsproj, seed 5\\) \\(/items/0\\) and item 1 \\(tiny.sfsproj, seed 6\\) \\(/items/0\\) would both write .*renders/tiny.mp4"
        ARGS batch plan same.json)
    run(EXIT 1 MATCH "same.json: /output: .*would both write"
        ARGS batch submit same.json --slurm)
    # Items: a missing project, a missing model, frames the project does not have. Each named.
    batch(items "renders/{item}.mp4" [=[[
        {"project": "projects/tiny.sfsproj", "seed": 1, "model": "demo", "frames": 9},
        {"project": "projects/gone.sfsproj", "seed": 2},
        {"project": "projects/tiny.sfsproj", "seed": 3, "model": "no-models"},
        {"project": "projects/tiny.sfsproj", "seed": 4, "frames": 33}]]=])
    set(problems "item 1 \\(gone.sfsproj, seed 2\\) /items/1: .*gone.sfsproj: no such file.*item 2 \\(tiny.sfsproj, seed 3\\) /items/2: model: .*no-models.*item 3 \\(tiny.sfsproj, seed 4\\) /items/3: .*frames: 33 is longer than the 21 frames")
    run(EXIT 1 MATCH "${problems}" ARGS batch plan items.json)
    run(EXIT 1 MATCH "${problems}.*Nothing submitted" ARGS batch submit items.json --slurm)
    run(EXIT 1 MATCH "gone.sfsproj: no such file" ARGS batch run items.json --item 1)
    # An output folder that cannot be made (under a file): refused before sbatch is looked for.
    batch(blocked "projects/tiny.sfsproj/{seed}.mp4"
        [=[[{"project": "projects/tiny.sfsproj", "seed": 1, "model": "demo"}]]=])
    run(EXIT 1 MATCH "item 0 \\(tiny.sfsproj, seed 1\\): output folder .*projects/tiny.sfsproj cannot be created Nothing submitted"
        ARGS batch submit blocked.json --slurm)
    # sbatch missing: said so, nothing recorded.
    execute_process(COMMAND ${CMAKE_COMMAND} -E env PATH=${WORK}/no-bin
                            ${PROGRAM} batch submit good.json --slurm
        WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT code EQUAL 1 OR NOT err MATCHES "sbatch is not on PATH: this machine is not a Slurm submit host.*Nothing submitted")
        message(FATAL_ERROR "submit without sbatch: exit ${code}\n${out}${err}")
    endif()
    if(EXISTS "${WORK}/good.state.json")
        message(FATAL_ERROR "a failed submit wrote the state file")
    endif()
    # --dry-run writes and prints the script, submits nothing.
    run(EXIT 0 MATCH "#SBATCH --job-name=sfstudio-good #SBATCH --array=0-1%1 #SBATCH --output=.*/good.logs/%A_%a.log .*#SBATCH --gpus-per-task=1 #SBATCH --mem=2G .*exec '.*sfstudio-cli' batch run '.*/good.json' --item \"\\$SLURM_ARRAY_TASK_ID\".*Dry run: wrote .*good.slurm.sh for 2 items; nothing submitted"
        ARGS batch submit good.json --slurm --gpus-per-task 1 --mem 2G --max-parallel 1 --dry-run)
    if(EXISTS "${WORK}/good.state.json" OR NOT EXISTS "${WORK}/good.slurm.sh")
        message(FATAL_ERROR "--dry-run: the script is written, the state file is not")
    endif()
    # Usage errors.
    run(EXIT 2 MATCH "needs a scheduler: --slurm" ARGS batch submit good.json)
    run(EXIT 2 MATCH "option --size: 100 is not a multiple of 16"
        ARGS render projects/tiny.sfsproj --size 100x64)
    run(EXIT 2 MATCH "--mem: \"lots\" is not a size" ARGS batch submit good.json --slurm --mem lots)
    run(EXIT 2 MATCH "needs --item N" ARGS batch run good.json)
    run(EXIT 2 MATCH "--item 7: the batch has items 0 to 1" ARGS batch run good.json --item 7)
    run(EXIT 2 MATCH "expects one BATCH file" ARGS batch plan)
    run(EXIT 2 MATCH "Batch commands.*plan, run, submit, status, collect" ARGS batch)
    # Nothing submitted yet: status says so and is not done.
    run(EXIT 1 MATCH "0000  not submitted  renders/tiny-5.mp4.*2 items: 2 not submitted"
        ARGS batch status good.json)
    file(READ "${WORK}/projects/tiny.sfsproj" now HEX)
    if(NOT now STREQUAL tinyBytes)
        message(FATAL_ERROR "a batch command changed the project file")
    endif()

elseif(CASE STREQUAL "run_item")
    batch(clips "renders/{project}/{seed}.mp4"
        [=[[{"project": "projects/tiny.sfsproj", "seeds": [5, 6], "frames": 9, "model": "demo", "size": "80x64"}]]=])
    run(EXIT 0 MATCH "Rendered take [^ ]+: 9 frames, 1 chunks, complete.*Wrote [^ ]*/renders/tiny/6.mp4 Item 1 done"
        ARGS batch run clips.json --item 1 --threads 2)
    # Nothing staged is left; the project is untouched, and no take went into its assets.
    file(GLOB left RELATIVE "${WORK}/renders/tiny" "${WORK}/renders/tiny/*")
    if(NOT left STREQUAL "6.mp4")
        message(FATAL_ERROR "batch run left: ${left}")
    endif()
    file(READ "${WORK}/projects/tiny.sfsproj" now HEX)
    if(NOT now STREQUAL tinyBytes OR EXISTS "${WORK}/projects/tiny.sfsproj.assets/takes")
        message(FATAL_ERROR "batch run changed the project or its assets")
    endif()
    run(EXIT 0 MATCH "Rendered take [^ ]+: 9 frames.*Wrote .*clip.mp4"
        ARGS render projects/tiny.sfsproj --seed 6 --frames 9 --model demo --size 80x64 --no-save
             -o clip.mp4 --threads 2)
    # The same frames, decoded (the clips' metadata differ: take ids, times).
    foreach(clip renders/tiny/6.mp4 clip.mp4)
        execute_process(COMMAND ${FFMPEG} -v error -i "${WORK}/${clip}" -f framemd5 -
            OUTPUT_VARIABLE md5 RESULT_VARIABLE code)
        string(REGEX REPLACE "#[^\n]*\n" "" md5 "${md5}")
        if(NOT code EQUAL 0 OR NOT md5 MATCHES "0, +8, +8, +1, +7680, ")
            message(FATAL_ERROR "${clip}: not 9 frames of 80x64:\n${md5}")
        endif()
        list(APPEND sums "${md5}")
    endforeach()
    list(GET sums 0 farm)
    list(GET sums 1 local)
    if(NOT farm STREQUAL local)
        message(FATAL_ERROR "batch run and render differ:\n${farm}\n${local}")
    endif()
    # A done item is skipped.
    run(EXIT 0 MATCH "item 1 \\(tiny.sfsproj, seed 6\\): .*renders/tiny/6.mp4 exists, skipped"
        ARGS batch run clips.json --item 1)
    run(EXIT 1 MATCH "0000  not submitted  renders/tiny/5.mp4 0001  done +renders/tiny/6.mp4 2 items: 1 done, 1 not submitted"
        ARGS batch status clips.json)
    run(EXIT 0 MATCH "Wrote .*renders/tiny/index.html: 1 of 2 items rendered"
        ARGS batch collect clips.json)
    file(READ "${WORK}/renders/tiny/index.html" page)
    if(NOT page MATCHES "<a href=\"6.mp4\"><img src=\"index_files/item-0001.png\"" OR
       NOT page MATCHES "seed 5<br>5.mp4" OR NOT EXISTS "${WORK}/renders/tiny/index_files/item-0001.png")
        message(FATAL_ERROR "index.html:\n${page}")
    endif()
    # What a killed run left (its staging folder) is cleared by the next run of the item.
    file(WRITE "${WORK}/renders/tiny/.5.mp4.partial/5.mp4" "half a clip")
    run(EXIT 0 MATCH "Wrote [^ ]*/renders/tiny/5.mp4 Item 0 done"
        ARGS batch run clips.json --item 0 --threads 2)
    file(GLOB left RELATIVE "${WORK}/renders/tiny" "${WORK}/renders/tiny/*")
    list(SORT left)
    if(NOT left STREQUAL "5.mp4;6.mp4;index.html;index_files")
        message(FATAL_ERROR "after a killed run's leftovers: ${left}")
    endif()
    file(SIZE "${WORK}/renders/tiny/5.mp4" size)
    if(size LESS 1000)
        message(FATAL_ERROR "5.mp4 is not a clip (${size} bytes)")
    endif()
else()
    message(FATAL_ERROR "unknown CASE '${CASE}'")
endif()

# `sfstudio-cli render` end to end on the built-in demo model. One scenario per ctest (CASE):
#   PROGRAM FFPROBE WORK SAMPLE   the CLI, ffprobe, a scratch folder (emptied first), and
#                                 resources/examples/paper-boat.sfsproj (copied, never changed)
# Most scenarios render WORK/tiny.sfsproj: 64x64, 21 frames (2 chunks), TAEHV, seed 3, one
# prompt; its take's frames are 64x64 PNGs in tiny.sfsproj.assets/takes/<id>/frames.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

file(WRITE "${WORK}/tiny.sfsproj" [=[{
    "format": "sfstudio-project",
    "version": 1,
    "fps": 16,
    "durationFrames": 21,
    "settings": {"width": 64, "height": 64, "seed": 3, "steps": [1000, 750, 500, 250],
                 "decoder": "taehv", "attentionWindow": 0, "sinkFrames": 0, "device": "cpu",
                 "modelFolder": ""},
    "keyframes": [],
    "prompts": [{"id": "p1", "start": 0, "text": "A paper boat drifts down a rainy street."},
                {"id": "p2", "start": 12, "text": "The boat passes under a bridge."}],
    "takes": []
}
]=])
set(tiny "${WORK}/tiny.sfsproj")
set(tinyAssets "${WORK}/tiny.sfsproj.assets")

# run(EXIT code MATCH regex ARGS ...): one CLI run, its exit code and output checked; TAKE is
# set to the id of the take it rendered (take ids are random).
function(run)
    cmake_parse_arguments(R "" "EXIT;MATCH" "ARGS" ${ARGN})
    string(TIMESTAMP before "%s")
    execute_process(COMMAND ${PROGRAM} ${R_ARGS}
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(TIMESTAMP after "%s")
    math(EXPR took "${after} - ${before}")
    string(REPLACE "\n" " " flat "${out}${err}")
    if(NOT "${code}" STREQUAL "${R_EXIT}" OR NOT flat MATCHES "${R_MATCH}")
        message(FATAL_ERROR "sfstudio-cli ${R_ARGS}: exit ${code} (expected ${R_EXIT}), output "
                            "should match '${R_MATCH}':\n${out}${err}")
    endif()
    message(STATUS "ok (${took} s): sfstudio-cli ${R_ARGS}\n${out}${err}")
    if(flat MATCHES "Rendered take ([a-z0-9_-]+):")
        set(TAKE "${CMAKE_MATCH_1}" PARENT_SCOPE)
    endif()
endfunction()

# same_files(A B): the files of folders A and B have the same names and bytes.
function(same_files a b)
    file(GLOB left RELATIVE "${a}" "${a}/*")
    file(GLOB right RELATIVE "${b}" "${b}/*")
    list(SORT left)
    list(SORT right)
    if(NOT left STREQUAL right OR left STREQUAL "")
        message(FATAL_ERROR "${a} and ${b} hold different files:\n${left}\n${right}")
    endif()
    foreach(name IN LISTS left)
        file(SHA256 "${a}/${name}" x)
        file(SHA256 "${b}/${name}" y)
        if(NOT x STREQUAL y)
            message(FATAL_ERROR "${a}/${name} and ${b}/${name} differ")
        endif()
    endforeach()
endfunction()

function(unchanged file bytes)
    file(READ "${file}" now HEX)
    if(NOT now STREQUAL bytes)
        message(FATAL_ERROR "${file} was changed")
    endif()
endfunction()

file(READ "${tiny}" tinyBytes HEX)

if(CASE STREQUAL "sample_mp4")
    # The sample project at its own size (832x480), the first chunk, straight into an MP4.
    file(COPY "${SAMPLE}" "${SAMPLE}.assets" DESTINATION "${WORK}")
    get_filename_component(name "${SAMPLE}" NAME)
    # Its start keyframe is applied (needs the engine's keyframes, issue 14); the two later ones
    # lie beyond the 9 frames.
    run(EXIT 0 MATCH "Rendered take t[0-9a-f]+: 9 frames, 1 chunks, complete.*Wrote .*clip.mp4.*Keyframe report: +frame +latent +strength +rel-L2 +snap +median +0 +0 +1.00 .*warning: keyframe k2 \\(bridge.svg\\) at frame 40 lies beyond the 9 rendered frames"
        ARGS render "${WORK}/${name}" -o "${WORK}/clip.mp4" --model demo --frames 9
             --keyframe-report)
    execute_process(COMMAND ${FFPROBE} -v error -count_frames -show_streams "${WORK}/clip.mp4"
        OUTPUT_VARIABLE report RESULT_VARIABLE code)
    string(REPLACE "\n" " " report "${report}")
    if(NOT code EQUAL 0 OR NOT report MATCHES "width=832 height=480.*nb_read_frames=9")
        message(FATAL_ERROR "clip.mp4 is not 9 frames of 832x480:\n${report}")
    endif()
    run(EXIT 0 MATCH "takes +1 \\(1 complete, 0 stopped\\) +${TAKE}: complete, 1 of 1 chunks, 832x480, seed 42"
        ARGS project check "${WORK}/${name}")
    # The clip carries the project it came from, as an exported take does.
    run(EXIT 0 MATCH "clip.mp4: OK .*seed 42.*exported +take ${TAKE}, frames 0-8 at 16 fps"
        ARGS project check "${WORK}/clip.mp4")
    # The same start keyframe as the context the take starts from (the reference's image-to-video
    # route): the same 9 frames, and latent frame 0 is exactly the keyframe.
    run(EXIT 0 MATCH "Rendered take t[0-9a-f]+: 9 frames, 1 chunks, complete.*Keyframe report: +frame +latent +strength +rel-L2 +snap +median +0 +0 +1.00 +0.0000"
        ARGS render "${WORK}/${name}" --model demo --frames 9 --start context --no-save
             --keyframe-report)
    # Keyframes with VACE and a reference image (the demo model's VACE block): the exact landing
    # still places the start keyframe (rel-L2 0).
    file(GLOB images "${WORK}/${name}.assets/images/*.png")
    list(GET images 0 reference)
    run(EXIT 0 MATCH "Rendered take t[0-9a-f]+: 9 frames, 1 chunks, complete.*Keyframe report: +frame +latent +strength +rel-L2 +snap +median +0 +0 +1.00 +0.0000"
        ARGS render "${WORK}/${name}" --model demo --frames 9 --vace --vace-scale 1.5
             --reference "${reference}" --reference-scale 0.5 --no-save --keyframe-report)

elseif(CASE STREQUAL "same_seed")
    # The same seed and settings give identical frames; the take is complete with 2 chunks; a
    # clip and an image sequence are written while generating.
    run(EXIT 0 MATCH "Rendered take [^ ]+: 21 frames, 2 chunks, complete.*Wrote .*seq/frame_%04d.png"
        ARGS render "${tiny}" -o "${WORK}/seq" --threads 2)
    set(first "${TAKE}")
    run(EXIT 0 MATCH "Rendered take [^ ]+: 21 frames, 2 chunks, complete.*Wrote .*clip.mov"
        ARGS render "${tiny}" -o "${WORK}/clip.mov" --latents "${WORK}/t2.safetensors")
    set(second "${TAKE}")
    same_files("${tinyAssets}/takes/${first}/frames" "${tinyAssets}/takes/${second}/frames")
    file(GLOB seq RELATIVE "${WORK}/seq" "${WORK}/seq/*.png")
    list(LENGTH seq count)
    if(NOT count EQUAL 21)
        message(FATAL_ERROR "the image sequence holds ${count} frames, not 21")
    endif()
    if(NOT EXISTS "${WORK}/t2.safetensors")
        message(FATAL_ERROR "--latents wrote nothing")
    endif()
    run(EXIT 0 MATCH "takes +2 \\(2 complete, 0 stopped\\) +${first}: complete, 2 of 2 chunks, 64x64, seed 3 +${second}: complete, 2 of 2 chunks"
        ARGS project check "${tiny}")
    # Another seed, other frames.
    run(EXIT 0 MATCH "Rendered take" ARGS render "${tiny}" --seed 4 --decoder taehv)
    file(SHA256 "${tinyAssets}/takes/${first}/frames/000020.png" a)
    file(SHA256 "${tinyAssets}/takes/${TAKE}/frames/000020.png" b)
    if(a STREQUAL b)
        message(FATAL_ERROR "seeds 3 and 4 gave the same last frame")
    endif()

elseif(CASE STREQUAL "no_save")
    run(EXIT 0 MATCH "Rendered take [^ ]+: 9 frames, 1 chunks, complete.*--no-save"
        ARGS render "${tiny}" --frames 9 --no-save)
    unchanged("${tiny}" "${tinyBytes}")

elseif(CASE STREQUAL "bad_input")
    run(EXIT 2 MATCH "--decoder expects wan-vae or taehv, got 'vqgan'.*Usage: sfstudio-cli render"
        ARGS render "${tiny}" --decoder vqgan)
    run(EXIT 2 MATCH "--frames: 10 is not a whole number of chunks \\(12n - 3 frames: 9, 21"
        ARGS render "${tiny}" --frames 10)
    run(EXIT 2 MATCH "--take ID and --from-chunk K go together" ARGS render "${tiny}" --take t1)
    run(EXIT 2 MATCH "--start expects land or context, got 'jump'" ARGS render "${tiny}" --start jump)
    run(EXIT 2 MATCH "option --vace-scale expects a number from 0 to 2, got '3'"
        ARGS render "${tiny}" --vace-scale 3)
    run(EXIT 2 MATCH "--reference: the reference image .*nothing.png cannot be read"
        ARGS render "${tiny}" --reference "${WORK}/nothing.png")
    run(EXIT 2 MATCH "--start: context needs a keyframe at frame 0, and the project has none"
        ARGS render "${tiny}" --start context)
    run(EXIT 2 MATCH "expects one PROJECT" ARGS render)
    run(EXIT 1 MATCH "nowhere.sfsproj: no such file" ARGS render "${WORK}/nowhere.sfsproj")
    run(EXIT 1 MATCH "sfstudio-cli render: .*no-model"
        ARGS render "${tiny}" --model "${WORK}/no-model")
    # An output under a file: refused before anything is generated or saved.
    run(EXIT 1 MATCH "tiny.sfsproj/clip.mp4"
        ARGS render "${tiny}" -o "${tiny}/clip.mp4" --model demo)
    unchanged("${tiny}" "${tinyBytes}")
    if(EXISTS "${tinyAssets}/takes")
        message(FATAL_ERROR "a refused render left take files")
    endif()
    # A size the model cannot run: the project loader names the file and the field.
    file(READ "${tiny}" text)
    string(REPLACE "\"width\": 64" "\"width\": 100" text "${text}")
    file(WRITE "${WORK}/odd.sfsproj" "${text}")
    run(EXIT 1 MATCH "odd.sfsproj: /settings/width: .*16" ARGS render "${WORK}/odd.sfsproj")

elseif(CASE STREQUAL "lora")
    # A LoRA made for the demo DiT's shapes changes the take; strength 0 renders the base take
    # bit for bit; the take records its LoRAs; one for another model shape is refused naming the
    # file and the tensor; `models inspect` names the file's role, rank and target.
    execute_process(COMMAND ${MAKE_LORA} "${WORK}/style.safetensors" demo RESULT_VARIABLE a)
    execute_process(COMMAND ${MAKE_LORA} "${WORK}/wide.safetensors" demo 256 RESULT_VARIABLE b)
    if(NOT a EQUAL 0 OR NOT b EQUAL 0)
        message(FATAL_ERROR "make_test_lora failed (${a}, ${b})")
    endif()
    run(EXIT 0 MATCH "lora +[^ ]+ +[0-9,]+ +[^ ]*style.safetensors.*names: +ComfyUI names.*config: +LoRA rank 4 \\(alpha per layer\\) on 20 linear layers, for a DiT of dim 128 with at least 2 layers"
        ARGS models inspect "${WORK}/style.safetensors")
    run(EXIT 0 MATCH "Rendered take" ARGS render "${tiny}")
    set(plain "${TAKE}")
    run(EXIT 0 MATCH "Rendered take" ARGS render "${tiny}" --lora "${WORK}/style.safetensors:0.8")
    set(styled "${TAKE}")
    run(EXIT 0 MATCH "Rendered take" ARGS render "${tiny}" --lora "${WORK}/style.safetensors:0")
    set(zero "${TAKE}")
    same_files("${tinyAssets}/takes/${plain}/frames" "${tinyAssets}/takes/${zero}/frames")
    file(SHA256 "${tinyAssets}/takes/${plain}/frames/000010.png" x)
    file(SHA256 "${tinyAssets}/takes/${styled}/frames/000010.png" y)
    if(x STREQUAL y)
        message(FATAL_ERROR "the LoRA did not change the take")
    endif()
    file(READ "${tiny}" saved)
    string(REPLACE "\n" " " saved "${saved}")
    if(NOT saved MATCHES "\"loras\": \\[ *{ *\"path\": \"[^\"]*style.safetensors\", *\"strength\": 0.8")
        message(FATAL_ERROR "the take does not record its LoRA:\n${saved}")
    endif()
    run(EXIT 1 MATCH "wide.safetensors: tensor 'diffusion_model.blocks.0.self_attn.q.lora_down.weight': has shape \\[4, 256\\], but layer 'blocks.0.self_attn.q' of this DiT \\(dim 128, 2 layers\\) is \\[128, 128\\]"
        ARGS render "${tiny}" --lora "${WORK}/wide.safetensors" --no-save)
    run(EXIT 2 MATCH "option --lora: ':2' names no LoRA file" ARGS render "${tiny}" --lora ":2")
    # A LongLive-style setup from the project file (format 4): the LoRA, a rolling window of 6
    # latent frames with a sink of 3, and a prompt switch (re-cached).
    file(WRITE "${WORK}/long.sfsproj" "{
    \"format\": \"sfstudio-project\", \"version\": 4, \"fps\": 16, \"durationFrames\": 45,
    \"settings\": {\"width\": 64, \"height\": 64, \"seed\": 3, \"steps\": [1000, 750, 500, 250],
        \"decoder\": \"taehv\", \"attentionWindow\": 6, \"sinkFrames\": 3, \"device\": \"cpu\",
        \"modelFolder\": \"\",
        \"loras\": [{\"path\": \"${WORK}/style.safetensors\", \"strength\": 1.0}]},
    \"keyframes\": [],
    \"prompts\": [{\"id\": \"p1\", \"start\": 0, \"text\": \"A paper boat drifts down a rainy street.\"},
                {\"id\": \"p2\", \"start\": 24, \"text\": \"The boat passes under a bridge.\"}],
    \"takes\": [], \"markers\": []
}
")
    run(EXIT 0 MATCH "Rendered take [^ ]+: 45 frames, 4 chunks, complete"
        ARGS render "${WORK}/long.sfsproj")
    run(EXIT 0 MATCH "OK \\(format version 4\\)" ARGS project check "${WORK}/long.sfsproj")

elseif(CASE STREQUAL "from_chunk")
    # Regenerating take t1 from chunk 1 with another seed: chunk 0 (frames 0-8 and its latents)
    # is kept, chunk 1 is new; -o writes the whole new take. Needs the engine's StartPoint.
    run(EXIT 0 MATCH "Rendered take" ARGS render "${tiny}")
    set(t1 "${TAKE}")
    run(EXIT 0 MATCH "Rendered take [^ ]+: 21 frames, 2 chunks, complete.*Wrote .*clip.mp4"
        ARGS render "${tiny}" --take ${t1} --from-chunk 1 --seed 8 -o "${WORK}/clip.mp4")
    set(t2 "${TAKE}")
    foreach(i RANGE 0 8)
        set(name "00000${i}.png")
        file(SHA256 "${tinyAssets}/takes/${t1}/frames/${name}" a)
        file(SHA256 "${tinyAssets}/takes/${t2}/frames/${name}" b)
        if(NOT a STREQUAL b)
            message(FATAL_ERROR "kept frame ${name} differs between t1 and t2")
        endif()
    endforeach()
    file(SHA256 "${tinyAssets}/takes/${t1}/latents/chunk-00000.safetensors" a)
    file(SHA256 "${tinyAssets}/takes/${t2}/latents/chunk-00000.safetensors" b)
    if(NOT a STREQUAL b)
        message(FATAL_ERROR "the kept chunk's latents differ between t1 and t2")
    endif()
    file(SHA256 "${tinyAssets}/takes/${t1}/frames/000020.png" a)
    file(SHA256 "${tinyAssets}/takes/${t2}/frames/000020.png" b)
    if(a STREQUAL b)
        message(FATAL_ERROR "the regenerated chunk did not change with the seed")
    endif()
    execute_process(COMMAND ${FFPROBE} -v error -count_frames -show_streams "${WORK}/clip.mp4"
        OUTPUT_VARIABLE report)
    if(NOT report MATCHES "nb_read_frames=21")
        message(FATAL_ERROR "clip.mp4 should hold the whole new take (21 frames):\n${report}")
    endif()
elseif(CASE STREQUAL "interrupt")
    # Ctrl-C (SIGINT) once the first chunk is out: exit 3, the take stopped with its whole
    # chunks, the clip kept with their frames. 60 chunks (a demo chunk takes ~50 ms here), so the
    # run is still going then.
    file(READ "${tiny}" text)
    string(REPLACE "\"durationFrames\": 21" "\"durationFrames\": 717" text "${text}")
    file(WRITE "${tiny}" "${text}")
    execute_process(COMMAND sh -c [=[
"$0" render "$1" -o "$2" > "$3.out" 2> "$3.err" &
pid=$!
i=0
until grep -q "chunk 1/60" "$3.err" || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid
wait $pid
echo "exit $?"
]=] "${PROGRAM}" "${tiny}" "${WORK}/clip.mp4" "${WORK}/run"
        OUTPUT_VARIABLE status)
    file(READ "${WORK}/run.err" err)
    if(NOT status MATCHES "exit 3" OR NOT err MATCHES "Stopped: take [^ ]+ keeps [0-9]+ whole chunks; .*clip.mp4 holds their frames")
        message(FATAL_ERROR "Ctrl-C: ${status}\n${err}")
    endif()
    string(REGEX MATCH "keeps ([0-9]+) whole chunks" kept "${err}")
    set(chunks "${CMAKE_MATCH_1}")
    if(chunks LESS 1 OR chunks GREATER 59)
        message(FATAL_ERROR "the stopped take keeps ${chunks} chunks:\n${err}")
    endif()
    math(EXPR frames "12 * ${chunks} - 3")
    run(EXIT 0 MATCH "takes +1 \\(0 complete, 1 stopped\\) +[^ ]+: stopped, ${chunks} of 60 chunks"
        ARGS project check "${tiny}")
    execute_process(COMMAND ${FFPROBE} -v error -count_frames -show_streams "${WORK}/clip.mp4"
        OUTPUT_VARIABLE report)
    if(NOT report MATCHES "nb_read_frames=${frames}[^0-9]")
        message(FATAL_ERROR "clip.mp4 should hold the ${frames} frames of ${chunks} chunks:\n${report}")
    endif()
elseif(CASE STREQUAL "disk_full")
    # The disk fills up in the middle of a take: files may not grow past 100 KiB (ulimit -f, with
    # SIGXFSZ ignored so that writes fail with EFBIG), which the clip reaches after some chunks
    # while every take file and the project file stay below it. One message naming the clip,
    # exit 1, the take stopped with its whole chunks (frames and latents), no clip left.
    file(READ "${tiny}" text)
    string(REPLACE "\"durationFrames\": 21" "\"durationFrames\": 717" text "${text}")
    file(WRITE "${tiny}" "${text}")
    execute_process(COMMAND bash -c [=[trap '' XFSZ; ulimit -f 100; exec "$@"]=] limit
        ${PROGRAM} render "${tiny}" -o "${WORK}/clip.mp4"
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(REGEX MATCH "keeps its ([0-9]+) whole chunks \\(stopped\\)" kept "${err}")
    set(chunks "${CMAKE_MATCH_1}")
    if(NOT code EQUAL 1 OR NOT err MATCHES "sfstudio-cli render: [^\n]*clip.mp4: [^\n]*too large"
       OR chunks STREQUAL "" OR chunks LESS 1 OR chunks GREATER 59)
        message(FATAL_ERROR "a full disk: exit ${code}\n${out}${err}")
    endif()
    if(EXISTS "${WORK}/clip.mp4")
        message(FATAL_ERROR "a full disk left a partial clip.mp4")
    endif()
    file(GLOB left RELATIVE "${WORK}" "${WORK}/*") # hidden names too
    list(SORT left)
    if(NOT left STREQUAL "tiny.sfsproj;tiny.sfsproj.assets")
        message(FATAL_ERROR "a full disk left files behind: ${left}")
    endif()
    run(EXIT 0 MATCH "takes +1 \\(0 complete, 1 stopped\\) +([^ ]+): stopped, ${chunks} of 60 chunks"
        ARGS project check "${tiny}")
    file(GLOB take RELATIVE "${tinyAssets}/takes" "${tinyAssets}/takes/*")
    file(GLOB frames "${tinyAssets}/takes/${take}/frames/*")
    file(GLOB latents "${tinyAssets}/takes/${take}/latents/*")
    list(LENGTH frames frameCount)
    list(LENGTH latents latentCount)
    math(EXPR expected "12 * ${chunks} - 3")
    if(NOT frameCount EQUAL expected OR NOT latentCount EQUAL chunks)
        message(FATAL_ERROR "the stopped take of ${chunks} chunks holds ${frameCount} frames and "
                            "${latentCount} latent chunk files")
    endif()
elseif(CASE STREQUAL "dry_run")
    # Plans and estimates only: the estimate broken down against the CPU's free memory, nothing
    # generated, the project byte-identical, no take files.
    run(EXIT 0 MATCH "Dry run \\(nothing generated, nothing written\\): model demo \\(built-in demo, untrained\\), 64x64, 21 frames \\(2 chunks\\), window full context, decoder taehv, device cpu memory estimate: ([0-9]+) MiB \\(DiT weights [0-9]+ MiB, KV cache [0-9]+ MiB, DiT activations [0-9]+ MiB, decoders [0-9]+ MiB, text encoder [0-9]+ MiB while encoding, freed before the caches\\).*DiT on the CPU in float32, text encoder on the same device.*free on the CPU: [0-9.]+ [MG]iB fits"
        ARGS render "${tiny}" --dry-run --model demo)
    # Precision and the text encoder's device from the command line (format 4's settings); the
    # CPU refuses float16; SFS_SIMULATED_FREE_MEMORY stands in for the device's free memory.
    run(EXIT 0 MATCH "DiT on the CPU in bfloat16, text encoder on the same device"
        ARGS render "${tiny}" --dry-run --model demo --precision bfloat16 --text-encoder cpu)
    run(EXIT 1 MATCH "precision float16: the CPU does not run it"
        ARGS render "${tiny}" --dry-run --model demo --precision float16)
    run(EXIT 2 MATCH "option --precision expects one of auto, float32, bfloat16, float16, got 'int4'"
        ARGS render "${tiny}" --dry-run --precision int4)
    run(EXIT 2 MATCH "option --text-encoder expects one of auto, cpu, gpu, got 'tpu'"
        ARGS render "${tiny}" --dry-run --text-encoder tpu)
    set(ENV{SFS_SIMULATED_FREE_MEMORY} "1M")
    run(EXIT 1 MATCH "free on the CPU: 1 MiB DOES NOT FIT"
        ARGS render "${tiny}" --dry-run --model demo)
    unset(ENV{SFS_SIMULATED_FREE_MEMORY})
    unchanged("${tiny}" "${tinyBytes}")
    file(GLOB left RELATIVE "${WORK}" "${WORK}/*")
    if(NOT left STREQUAL "tiny.sfsproj")
        message(FATAL_ERROR "a dry run left files behind: ${left}")
    endif()
    # A simulated device memory of 3/4 of the estimate: refused, by how much, and the settings
    # that fit (bfloat16 halves the weights and caches).
    execute_process(COMMAND ${PROGRAM} render "${tiny}" --dry-run --model demo
        OUTPUT_VARIABLE first)
    string(REGEX MATCH "memory estimate: ([0-9]+) MiB" ignored "${first}")
    math(EXPR small "${CMAKE_MATCH_1} * 3 / 4")
    run(EXIT 1 MATCH "free on the CPU: ${small} MiB DOES NOT FIT: [0-9]+ MiB short .*would fit: bfloat16 instead of float32 .*-> [0-9]+ MiB.*--assume-free-memory"
        ARGS render "${tiny}" --dry-run --model demo --assume-free-memory ${small})
    # Too small for anything.
    run(EXIT 1 MATCH "DOES NOT FIT.*no setting change fits"
        ARGS render "${tiny}" --dry-run --model demo --assume-free-memory 0.5)
    unchanged("${tiny}" "${tinyBytes}")
    file(GLOB left RELATIVE "${WORK}" "${WORK}/*")
    if(NOT left STREQUAL "tiny.sfsproj")
        message(FATAL_ERROR "a dry run left files behind: ${left}")
    endif()
    run(EXIT 2 MATCH "--assume-free-memory expects a positive number of MiB"
        ARGS render "${tiny}" --dry-run --model demo --assume-free-memory -1)
else()
    message(FATAL_ERROR "unknown CASE '${CASE}'")
endif()

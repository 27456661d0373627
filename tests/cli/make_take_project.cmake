# Makes WORK/story.sfsproj from the frames in WORK/in (f_1.png, f_2.png, ...): one keyframe (the
# first frame, stored under its content hash), two prompts, an older take "t0" that stored only
# latents, and take "t1" whose frames are a copy of WORK/in.
set(assets "${WORK}/story.sfsproj.assets")
file(SHA256 "${WORK}/in/f_1.png" hash)
string(SUBSTRING "${hash}" 0 32 hash)
file(MAKE_DIRECTORY "${assets}/images")
file(COPY_FILE "${WORK}/in/f_1.png" "${assets}/images/${hash}.png")
file(MAKE_DIRECTORY "${assets}/takes/t1")
file(COPY "${WORK}/in/" DESTINATION "${assets}/takes/t1/frames")
file(MAKE_DIRECTORY "${assets}/takes/t0")
file(WRITE "${assets}/takes/t0/latents.safetensors" "")
set(settings "{\"width\": 320, \"height\": 176, \"seed\": 777, \"steps\": [1000, 750, 500, 250], \"decoder\": \"wan-vae\", \"attentionWindow\": 0, \"sinkFrames\": 0, \"device\": \"auto\", \"modelFolder\": \"\"}")
file(WRITE "${WORK}/story.sfsproj" "{
  \"format\": \"sfstudio-project\", \"version\": 1, \"durationFrames\": 21,
  \"settings\": {\"width\": 320, \"height\": 176, \"seed\": 1, \"steps\": [1000, 750, 500, 250], \"decoder\": \"wan-vae\", \"attentionWindow\": 0, \"sinkFrames\": 0, \"device\": \"auto\", \"modelFolder\": \"\"},
  \"keyframes\": [{\"id\": \"k1\", \"frame\": 0, \"image\": \"images/${hash}.png\", \"source\": \"f_1.png\", \"strength\": 1.0, \"fit\": \"cover\"}],
  \"prompts\": [{\"id\": \"p1\", \"start\": 0, \"text\": \"A fox in the snow\"}, {\"id\": \"p2\", \"start\": 9, \"text\": \"It runs into the forest\"}],
  \"takes\": [
    {\"id\": \"t0\", \"created\": \"2026-03-04T05:06:07.089Z\", \"settings\": ${settings}, \"durationFrames\": 21, \"status\": \"complete\", \"chunksCompleted\": 2, \"latents\": \"takes/t0/latents.safetensors\"},
    {\"id\": \"t1\", \"created\": \"2026-03-04T06:00:00.000Z\", \"settings\": ${settings}, \"durationFrames\": 21, \"status\": \"complete\", \"chunksCompleted\": 2, \"frames\": \"takes/t1/frames\"}
  ]
}
")

#!/usr/bin/env bash
# The render farm end to end on a private single-node Slurm (private_slurm.sh, started by the
# ctest fixture farm.slurm_start; SLURM_CONF points at it):
#   farm_end_to_end.sh CLI WORK
# 2 projects x 2 seeds on the demo model at 64x64, 9 frames, as one job array: every item done,
# each output the same frames as a local `render` of that item; submitting again queues nothing;
# a task cancelled mid-render is reported failed, leaves no output, and the next submit runs it
# again. Also: sbatch failing (an unknown partition) and an unwritable output folder submit
# nothing. Exit 77 (skipped) without the private Slurm.
set -euo pipefail

cli="${1:?sfstudio-cli}"
work="${2:?work folder}"
if [ -z "${SLURM_CONF:-}" ] || [ ! -f "$SLURM_CONF" ]; then
    echo "SKIP: no private Slurm (farm.slurm_start says why: it needs root, slurm-wlm and munge)"
    exit 77
fi

rm -rf "$work"
mkdir -p "$work/projects"
cd "$work"
started=$(date +%s)

fail() {
    echo "FAIL: $*" >&2
    for log in "$work"/*.logs/*.log; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
    done
    exit 1
}

# run EXPECTED_EXIT REGEX ARGS...: one CLI call, its exit code and output (as one line) checked;
# the output is left in $out.
run() {
    local expected="$1" pattern="$2"
    shift 2
    local code=0
    out="$("$cli" "$@" 2>&1)" || code=$?
    local flat # one line, so that a pattern can span the output's lines
    flat="$(tr '\n' ' ' <<<"$out")"
    if [ "$code" != "$expected" ] || ! grep -Eq -- "$pattern" <<<"$flat"; then
        fail "sfstudio-cli $* exited $code (expected $expected); output should match '$pattern':
$out"
    fi
    echo "ok ($(( $(date +%s) - started )) s): sfstudio-cli $*"
}

# A 64x64 project on the demo model, FRAMES long.
project() {
    local name="$1" frames="$2" prompt="$3"
    cat > "projects/$name.sfsproj" <<EOF
{"format": "sfstudio-project", "version": 1, "fps": 16, "durationFrames": $frames,
 "settings": {"width": 64, "height": 64, "seed": 3, "steps": [1000, 750, 500, 250],
              "decoder": "taehv", "attentionWindow": 0, "sinkFrames": 0, "device": "cpu",
              "modelFolder": ""},
 "keyframes": [], "prompts": [{"id": "p1", "start": 0, "text": "$prompt"}], "takes": []}
EOF
}
project boat 21 "A paper boat drifts down a rainy street."
project bridge 21 "A stone bridge at dawn."
project long 237 "A long river." # 20 chunks: time to cancel it mid-render

cat > shots.json <<'EOF'
{"format": "sfstudio-batch", "version": 1, "output": "renders/{project}/{seed}/",
 "items": [{"project": "projects/boat.sfsproj", "seeds": [1, 2], "frames": 9, "model": "demo",
            "size": "64x64"},
           {"project": "projects/bridge.sfsproj", "seeds": [3, 4], "frames": 9, "model": "demo"}]}
EOF

jobs_known() { squeue --me -h -t all -o %F | sort -u | wc -l; }

# Waits until no task of job JOB is pending, running or completing (at most 30 s).
wait_ended() {
    local job="$1" queue
    for _ in $(seq 300); do
        queue="$(squeue --me -h -r -o "%F|%K|%T")"
        grep -Eq "^$job\|[0-9]+\|(PENDING|CONFIGURING|RUNNING|COMPLETING)$" <<<"$queue" || return 0
        sleep 0.1
    done
    fail "job $job did not end: $queue"
}

# Waits until `batch status FILE` exits 0 (all done), at most SECONDS.
wait_done() {
    local batch="$1" limit="$2" waited=0
    until "$cli" batch status "$batch" > status.txt 2>&1; do
        if grep -q " failed " status.txt; then
            fail "an item failed:
$(cat status.txt)"
        fi
        [ "$waited" -lt "$limit" ] || fail "not done after $limit s:
$(cat status.txt)"
        sleep 1
        waited=$((waited + 1))
    done
    echo "ok ($(( $(date +%s) - started )) s): $batch all done"
}

run 0 "^0000  projects/boat.sfsproj  seed 1  renders/boat/1/.*0003  projects/bridge.sfsproj  seed 4  renders/bridge/4/.*4 items: every project and model checked" \
    batch plan shots.json

# sbatch refusing the job (no such partition): its message, nothing recorded.
before=$(jobs_known)
run 1 "sbatch --parsable .* failed \(exit 1\): .*invalid partition.*Nothing submitted" \
    batch submit shots.json --slurm --partition nope
[ ! -e shots.state.json ] || fail "a refused submit wrote the state file"

# An output folder that cannot be made (under a file): refused before sbatch.
sed 's#"renders/#"projects/boat.sfsproj/#' shots.json > blocked.json
run 1 "item 0 \(boat.sfsproj, seed 1\): output folder .*projects/boat.sfsproj/boat cannot be created.*Nothing submitted" \
    batch submit blocked.json --slurm
[ "$(jobs_known)" = "$before" ] || fail "a refused submit reached the queue"

run 0 "^Submitted job [0-9]+: items 0-3 \(4 of 4\)" \
    batch submit shots.json --slurm --cpus-per-task 1 --max-parallel 2
grep -q "^#SBATCH --array=0-3%2$" shots.slurm.sh || fail "the script's array: $(cat shots.slurm.sh)"
wait_done shots.json 150
run 0 "^0000  done +renders/boat/1.*0003  done +renders/bridge/4.*4 items: 4 done" batch status shots.json

# Each item is exactly what `render` makes for the same project, seed and settings.
compare() {
    local item="$1" project="$2" seed="$3" farm="$4"
    shift 4
    "$cli" render "projects/$project.sfsproj" --seed "$seed" --frames 9 --no-save --threads 1 \
        -o "local/$item/" "$@" > /dev/null 2>&1 || fail "local render of item $item failed"
    local frames
    frames=$(ls "local/$item" | grep -c '^frame_[0-9]*\.png$' || true)
    [ "$frames" = 9 ] || fail "the local render of item $item has $frames frames, not 9"
    for f in "local/$item"/frame_*.png; do
        cmp -s "$f" "$farm/$(basename "$f")" || fail "item $item: $(basename "$f") differs from render"
    done
    [ "$(ls "$farm" | grep -c '^frame_[0-9]*\.png$')" = 9 ] || fail "$farm holds other frames"
    echo "ok: item $item = render of $project seed $seed, 9 frames"
}
compare 0 boat 1 renders/boat/1 --model demo --size 64x64
compare 1 boat 2 renders/boat/2 --model demo --size 64x64
compare 2 bridge 3 renders/bridge/3 --model demo
compare 3 bridge 4 renders/bridge/4 --model demo
if cmp -s renders/boat/1/frame_0008.png renders/boat/2/frame_0008.png; then
    fail "seeds 1 and 2 gave the same frames"
fi

# Submitting again: everything is done, nothing new reaches the queue.
before=$(jobs_known)
run 0 "^Nothing to submit: 4 of 4 items done, 0 queued" batch submit shots.json --slurm
[ "$(jobs_known)" = "$before" ] || fail "a second submit queued a job"
[ "$(grep -c '"job"' shots.state.json)" = 1 ] || fail "the state file records another job"

run 0 "Wrote .*renders/index.html: 4 of 4 items rendered" batch collect shots.json
[ "$(grep -c '<img src="index_files/item-000[0-3].png"' renders/index.html)" = 4 ] ||
    fail "index.html should show 4 first frames"

# A task cancelled mid-render: failed, no output (whole or partial), run again by the next submit.
cat > long.json <<'EOF'
{"format": "sfstudio-batch", "version": 1, "output": "long/{project}-{seed}.mp4",
 "items": [{"project": "projects/long.sfsproj", "seed": 5, "model": "demo"}]}
EOF
run 0 "^Submitted job [0-9]+: items 0 \(1 of 1\)" batch submit long.json --slurm --cpus-per-task 1
job="$(grep -Eo 'job [0-9]+' <<<"$out" | grep -Eo '[0-9]+')"
log="long.logs/${job}_0.log"
for _ in $(seq 600); do
    grep -q "chunk 1/20" "$log" 2>/dev/null && break
    sleep 0.1
done
grep -q "chunk 1/20" "$log" || fail "the long item never reached its first chunk"
scancel "${job}_0"
wait_ended "$job"
run 1 "^0000  failed +job $job, task 0 \((CANCELLED|no longer in the queue)\); log long.logs/${job}_0.log.*1 item: 1 failed" \
    batch status long.json
[ ! -e long/long-5.mp4 ] || fail "a cancelled task left its output"
[ -z "$(ls -A long 2>/dev/null | grep -v '^\.long-5.mp4.partial$' || true)" ] ||
    fail "a cancelled task left files: $(ls -A long)"
run 0 "^Submitted job [0-9]+: items 0 \(1 of 1\)" batch submit long.json --slurm --cpus-per-task 1
again="$(grep -Eo 'job [0-9]+' <<<"$out" | grep -Eo '[0-9]+')"
[ "$again" != "$job" ] || fail "the same job id again"
wait_done long.json 120
wait_ended "$again" # the output is renamed into place before the task tidies up
[ -z "$(ls -A long | grep -v '^long-5.mp4$' || true)" ] || fail "the re-run left files: $(ls -A long)"
run 0 "^0000  done +long/long-5.mp4" batch status long.json
echo "farm end to end: passed in $(( $(date +%s) - started )) s"

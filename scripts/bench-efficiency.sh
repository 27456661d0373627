#!/usr/bin/env bash
# How close the DiT step comes to the machine's matrix-multiply peak (issue 17): runs
# `bench gemm` and `bench dit` alternately, bf16 and float32, keeps the best of N of each and
# prints the DiT's first-chunk GFLOP/s as a share of gemm's. Builds nothing: it runs the CLI
# of an existing build (SFS_CLI, default build/default/app/sfstudio-cli).
#
#   scripts/bench-efficiency.sh [ROUNDS]     # default 3 rounds
#   scripts/bench-efficiency.sh --window     # chunk time over 50 chunks with a rolling window
#
# Extra options for both benches go in SFS_BENCH_ARGS (e.g. "--device cuda"); SFS_BENCH_THREADS
# sets the torch threads (default 2, the issue's configuration; 1 is steadier on a loaded
# machine, where two OpenMP threads wait on each other).
set -euo pipefail
cd "$(dirname "$0")/.."
cli="${SFS_CLI:-build/default/app/sfstudio-cli}"
if [[ ! -x "$cli" ]]; then
    echo "bench-efficiency: no CLI at $cli (build first: bash scripts/build.sh default)" >&2
    exit 2
fi
# The configuration of issue 17: small enough for a 2-core machine, every part of the block.
threads="${SFS_BENCH_THREADS:-2}"
dit_config=(--dim 512 --heads 8 --layers 8 --ffn 1536 --text-len 512 --size 416x240 --threads "$threads")
extra=(${SFS_BENCH_ARGS:-})

echo "load before: $(uptime)"
if [[ "${1:-}" == "--window" ]]; then
    for dtype in bfloat16 float32; do
        echo "== bench dit, $dtype, 50 chunks, window 9 frames with 3 sink frames"
        "$cli" bench dit "${dit_config[@]}" --chunks 50 --window 9 --sink 3 --dtype "$dtype" \
            "${extra[@]}" | grep -E "^ +(1|2|3|4|5|6|45|46|47|48|49|50) |chunk time|chunks 2"
    done
    echo "load after: $(uptime)"
    exit 0
fi

rounds="${1:-3}"
gflops() { grep -oE '[0-9.]+ GFLOP/s' | tail -1 | cut -d' ' -f1; }
best() { printf '%s\n' "$@" | sort -g | tail -1; }
declare -A gemm dit
for dtype in bfloat16 float32; do
    gemm[$dtype]=""
    dit[$dtype]=""
done
for ((r = 1; r <= rounds; ++r)); do
    for dtype in bfloat16 float32; do
        g=$("$cli" bench gemm --n 1024 --iterations 200 --threads "$threads" --dtype "$dtype" \
            "${extra[@]}" | gflops)
        d=$("$cli" bench dit "${dit_config[@]}" --chunks 3 --dtype "$dtype" "${extra[@]}" |
            grep "first chunk denoise" | gflops)
        echo "round $r $dtype: gemm $g GFLOP/s, dit first chunk $d GFLOP/s" \
            "($(awk -v d="$d" -v g="$g" 'BEGIN { printf "%.0f", 100 * d / g }') %)"
        gemm[$dtype]+="$g "
        dit[$dtype]+="$d "
    done
done
echo "best of $rounds alternating rounds:"
for dtype in bfloat16 float32; do
    g=$(best ${gemm[$dtype]})
    d=$(best ${dit[$dtype]})
    echo "  $dtype: gemm $g GFLOP/s, dit first chunk $d GFLOP/s, ratio" \
        "$(awk -v d="$d" -v g="$g" 'BEGIN { printf "%.1f %%", 100 * d / g }')"
done
echo "load after: $(uptime)"

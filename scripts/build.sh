#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default"). Used by the README commands.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
jobs="${SFS_BUILD_JOBS:-$(nproc)}"
cmake --preset "$preset"
cmake --build --preset "$preset" --parallel "$jobs"

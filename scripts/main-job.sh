#!/usr/bin/env bash
# README command (a): install what is missing, build, and run the main job: the sfstudio studio.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh default
app=build/default/app/sfstudio
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "$app" "$@"
fi
echo "main-job: no display found; starting sfstudio on a virtual X display (Ctrl+C to stop)"
exec xvfb-run -a -s "-screen 0 1600x900x24" "$app" "$@"

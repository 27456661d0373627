#!/usr/bin/env bash
# README command (a): install what is missing, build, and run the main job: the sfstudio studio,
# which opens the sample project and starts generating with the built-in demo model at once
# (sfstudio --generate). The sample is copied to build/default/sample first, so the takes it
# makes stay out of the repository. Arguments, when given, go to sfstudio instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh default
app=build/default/app/sfstudio
sample=build/default/sample
if [ $# -eq 0 ]; then
    if [ ! -f "$sample/paper-boat.sfsproj" ]; then
        mkdir -p "$sample"
        cp -r resources/examples/. "$sample/"
    fi
    set -- --generate "$sample/paper-boat.sfsproj"
fi
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "$app" "$@"
fi
echo "main-job: no display found; starting sfstudio on a virtual X display (Ctrl+C to stop)"
exec xvfb-run -a -s "-screen 0 1600x900x24" "$app" "$@"

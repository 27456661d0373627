#!/usr/bin/env bash
# Screenshots of the studio before and during generation, as a person would see it: sfstudio
# opens a copy of the sample project on a private virtual X display (Xvfb), the script saves
# studio-before.png, presses Ctrl+Return (Generate, with the built-in demo model), waits until
# the take has frames on disk and the preview shows them, and saves studio-during.png; then it
# starts sfstudio without a project and saves its start page, studio-start.png.
#
#   tests/ui/studio_screenshots.sh [--build DIR] [--out DIR] [--size WxH] [--frames N]
#
#   --build DIR   the build folder holding app/sfstudio (default: build/default)
#   --out DIR     where the PNGs and sfstudio's log go (default: BUILD/screenshots)
#   --size WxH    render the copy at this size instead of the sample's 832x480 (faster)
#   --frames N    frames on disk before the "during" shot (default: 9, the first chunk)
#   --timeout S   give up after S seconds of generating (default: 600)
#
# Needs Xvfb, xdotool and ffmpeg (or ImageMagick's import); installs nothing: without them it
# says so and exits 77 (ctest's "skipped"). Leaves nothing running and the sample untouched.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build/default"
out=""
size=""
frames=9
timeout_s=600
while [[ $# -gt 0 ]]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --frames) frames=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--out DIR] [--size WxH] [--frames N] [--timeout S]" >&2; exit 2 ;;
    esac
done
out="${out:-$build/screenshots}"
app="$build/app/sfstudio"
[[ -x $app ]] || { echo "studio_screenshots: $app is not built" >&2; exit 1; }
for tool in Xvfb xdotool; do
    command -v "$tool" >/dev/null || { echo "studio_screenshots: skipped: $tool is not installed (apt-get install xvfb xdotool ffmpeg)"; exit 77; }
done
if command -v ffmpeg >/dev/null; then
    grabber=ffmpeg
elif command -v import >/dev/null; then
    grabber=import
else
    echo "studio_screenshots: skipped: neither ffmpeg nor ImageMagick's import is installed"
    exit 77
fi

mkdir -p "$out"
work="$(mktemp -d)"
xvfb_pid=""
app_pid=""
cleanup() {
    local status=$?
    set +e
    [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
    [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# A copy of the sample, so its file and assets stay as committed.
cp -r "$root/resources/examples/." "$work/"
project="$work/paper-boat.sfsproj"
if [[ -n $size ]]; then
    w=${size%x*}
    h=${size#*x}
    sed -i -e "s/\"width\": 832/\"width\": $w/" -e "s/\"height\": 480/\"height\": $h/" "$project"
fi
# A private session: settings, recovery files and window state of its own; the demo model's
# files are cached across runs (they are written once, atomically).
export HOME="$work/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export XDG_CACHE_HOME="${TMPDIR:-/tmp}/sfs-screenshots-cache-$(id -u)"
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

screen=1600x900
display=""
for n in $(seq 150 199); do
    if [[ ! -e /tmp/.X$n-lock && ! -e /tmp/.X11-unix/X$n ]]; then
        display=":$n"
        break
    fi
done
[[ -n $display ]] || { echo "studio_screenshots: no free X display number" >&2; exit 1; }
Xvfb "$display" -screen 0 "${screen}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display QT_QPA_PLATFORM=xcb
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.2; done

grab() {
    if [[ $grabber == ffmpeg ]]; then
        ffmpeg -loglevel error -y -f x11grab -video_size "$screen" -i "$display" -frames:v 1 "$1"
    else
        import -window root "$1"
    fi
    echo "saved $1"
}

"$app" "$project" >"$out/sfstudio.log" 2>&1 &
app_pid=$!
window=""
for _ in $(seq 150); do
    window=$(xdotool search --onlyvisible --name 'paper-boat' 2>/dev/null | head -n 1 || true)
    [[ -n $window ]] && break
    kill -0 "$app_pid" 2>/dev/null || { echo "studio_screenshots: sfstudio exited; see $out/sfstudio.log" >&2; exit 1; }
    sleep 0.2
done
[[ -n $window ]] || { echo "studio_screenshots: the project's window did not appear" >&2; exit 1; }
# No window manager: make it fill the screen, then let it lay out and paint.
xdotool windowmove "$window" 0 0 windowsize "$window" 1600 900 >/dev/null 2>&1 || true
sleep 2
grab "$out/studio-before.png"

xdotool windowfocus --sync "$window" >/dev/null 2>&1 || true
xdotool key --window "$window" ctrl+Return
started=$SECONDS
count() { find "$work/paper-boat.sfsproj.assets/takes" -name '*.png' 2>/dev/null | wc -l; }
until [[ $(count) -ge $frames ]]; do
    kill -0 "$app_pid" 2>/dev/null || { echo "studio_screenshots: sfstudio exited while generating; see $out/sfstudio.log" >&2; exit 1; }
    if (( SECONDS - started > timeout_s )); then
        echo "studio_screenshots: no $frames frames after ${timeout_s} s (Ctrl+Return did not start a take?)" >&2
        grab "$out/studio-timeout.png"
        exit 1
    fi
    sleep 0.5
done
sleep 1.5 # the frames reach the preview (at most one behind) and the status bar updates
grab "$out/studio-during.png"
echo "generating for $((SECONDS - started)) s before the second shot"

# The start page: sfstudio again, without a project; the copy is now a recent project.
kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
"$app" >>"$out/sfstudio.log" 2>&1 &
app_pid=$!
window=""
for _ in $(seq 150); do
    window=$(xdotool search --onlyvisible --name '^sfstudio$' 2>/dev/null | head -n 1 || true)
    [[ -n $window ]] && break
    kill -0 "$app_pid" 2>/dev/null || { echo "studio_screenshots: sfstudio exited; see $out/sfstudio.log" >&2; exit 1; }
    sleep 0.2
done
[[ -n $window ]] || { echo "studio_screenshots: the start page did not appear" >&2; exit 1; }
xdotool windowmove "$window" 0 0 windowsize "$window" 1600 900 >/dev/null 2>&1 || true
sleep 2 # its lists and thumbnails are read off the UI thread
grab "$out/studio-start.png"

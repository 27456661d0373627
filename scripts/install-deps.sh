#!/usr/bin/env bash
# Installs the Debian 12 packages sfstudio needs to build, test and run. Idempotent: when every
# package is present it changes nothing and needs no network.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config git dpkg-dev file
    # inference: LibTorch (CPU) with a fast BLAS, SentencePiece
    libtorch-dev libopenblas0-openmp libsentencepiece-dev sentencepiece
    # Qt 6: core, widgets, multimedia, tools, translations; SVG icons at run time
    qt6-base-dev qt6-multimedia-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6svg6
    # media: FFmpeg libraries and tool (tests probe files with ffprobe), OpenImageIO
    libavcodec-dev libavformat-dev libavutil-dev libswscale-dev ffmpeg libopenimageio-dev
    # Qt Multimedia playback back-ends
    gstreamer1.0-plugins-good gstreamer1.0-libav
    # tests
    libgtest-dev libgmock-dev
    # the render farm's tests run a private single-node Slurm (tests/farm/private_slurm.sh)
    slurm-wlm munge
    # a virtual display for the GUI on headless machines
    xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Re-render the PNG icons from resources/icons/sfstudio.svg (needs librsvg2-bin). Developer tool;
# the PNGs are committed so builds need no SVG renderer.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for s in 256 64 32; do rsvg-convert -w "$s" -h "$s" sfstudio.svg -o "sfstudio-$s.png"; done

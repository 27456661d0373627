#!/usr/bin/env python3
"""Makes the sample project in resources/examples/: paper-boat.sfsproj and its assets.

Three keyframe images are drawn as SVG here and rendered with rsvg-convert (librsvg2-bin) at
832x480; each is stored under its content hash (the first 32 hex digits of its SHA-256), the way
sfstudio's image import names assets. Run from anywhere: python3 scripts/make-sample-project.py
"""
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTH, HEIGHT = 832, 480
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "examples"
PROJECT = OUT / "paper-boat.sfsproj"
ASSETS = OUT / "paper-boat.sfsproj.assets"


def boat(x, y, scale, fill="#f4f1e8"):
    """A folded paper boat, its keel at (x, y)."""
    s = scale
    return f"""
  <g transform="translate({x},{y}) scale({s})">
    <polygon points="-60,0 60,0 80,-28 -80,-28" fill="{fill}" stroke="#8a8270" stroke-width="2"/>
    <polygon points="-30,-28 0,-80 30,-28" fill="{fill}" stroke="#8a8270" stroke-width="2"/>
    <line x1="0" y1="-80" x2="0" y2="-28" stroke="#b8b09a" stroke-width="2"/>
  </g>"""


def ripples(y0, colour, count=9):
    lines = []
    for i in range(count):
        y = y0 + 18 + i * 16
        x = 40 + (i * 137) % 600
        lines.append(f'<rect x="{x}" y="{y}" width="{120 - i * 6}" height="3" rx="1.5" '
                     f'fill="{colour}" opacity="0.55"/>')
    return "\n  ".join(lines)


def scene_sunrise():
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2c3e7a"/><stop offset="0.55" stop-color="#f08a5d"/>
      <stop offset="1" stop-color="#fde2a1"/>
    </linearGradient>
    <linearGradient id="lake" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3d6e8f"/><stop offset="1" stop-color="#18344a"/>
    </linearGradient>
  </defs>
  <rect width="{WIDTH}" height="300" fill="url(#sky)"/>
  <circle cx="560" cy="300" r="70" fill="#ffd36b"/>
  <polygon points="0,300 140,220 260,300" fill="#41506b"/>
  <polygon points="180,300 360,190 540,300" fill="#4b5a75"/>
  <rect y="300" width="{WIDTH}" height="180" fill="url(#lake)"/>
  {ripples(300, "#ffd36b")}
  {boat(300, 380, 1.0)}
</svg>"""


def scene_bridge():
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#6fa8dc"/><stop offset="1" stop-color="#d9ecf7"/>
    </linearGradient>
  </defs>
  <rect width="{WIDTH}" height="300" fill="url(#sky)"/>
  <rect y="300" width="{WIDTH}" height="180" fill="#2f5d77"/>
  <path d="M0,120 H{WIDTH} V300 H620 A204,170 0 0 0 212,300 H0 Z" fill="#8c8478"
        stroke="#5e574d" stroke-width="4"/>
  <path d="M212,300 A204,170 0 0 1 620,300" fill="none" stroke="#5e574d" stroke-width="10"/>
  <rect y="108" width="{WIDTH}" height="14" fill="#6d665b"/>
  {ripples(300, "#d9ecf7")}
  {boat(430, 400, 0.8)}
</svg>"""


def scene_night():
    lanterns = "\n  ".join(
        f'<circle cx="{x}" cy="{y}" r="10" fill="#ffb347"/>'
        f'<rect x="{x - 1.5}" y="{y + 14}" width="3" height="{150 - y // 3}" fill="#ffb347" '
        f'opacity="0.35"/>'
        for x, y in [(120, 250), (260, 230), (420, 260), (600, 240), (740, 255)])
    stars = "\n  ".join(
        f'<circle cx="{(i * 97) % WIDTH}" cy="{(i * 53) % 200 + 10}" r="1.6" fill="#fffbe0"/>'
        for i in range(40))
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}">
  <rect width="{WIDTH}" height="300" fill="#0d1330"/>
  {stars}
  <circle cx="680" cy="80" r="36" fill="#f3f0d7"/>
  <circle cx="694" cy="72" r="34" fill="#0d1330"/>
  <rect y="300" width="{WIDTH}" height="180" fill="#0a1a2a"/>
  {lanterns}
  {ripples(300, "#ffb347")}
  {boat(520, 390, 0.9, fill="#d9d3c0")}
</svg>"""


KEYFRAMES = [
    # frame, scene, label, source name, strength
    (0, scene_sunrise, "Sunrise", "sunrise.svg", 1.0),
    (40, scene_bridge, "Under the bridge", "bridge.svg", 0.8),
    (80, scene_night, "Lanterns", "night.svg", 1.0),
]

PROMPTS = [
    (0, "A folded paper boat floats on a calm mountain lake at sunrise, warm light on the "
        "water, gentle ripples, soft focus, cinematic."),
    (33, "The paper boat drifts slowly under an old stone bridge, cool daylight, reflections "
         "on the water, the camera follows the boat."),
    (57, "Night falls over the lake, floating lanterns glow orange around the paper boat, stars "
         "above, calm and quiet."),
]


def render(svg: str, out: Path) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".svg", delete=False) as f:
        f.write(svg)
        name = f.name
    try:
        subprocess.run(["rsvg-convert", "-w", str(WIDTH), "-h", str(HEIGHT), "-o", str(out), name],
                       check=True)
    finally:
        Path(name).unlink()


def main() -> int:
    if shutil.which("rsvg-convert") is None:
        print("rsvg-convert is missing: apt-get install librsvg2-bin", file=sys.stderr)
        return 1
    if ASSETS.exists():
        shutil.rmtree(ASSETS)
    (ASSETS / "images").mkdir(parents=True)
    keyframes = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (frame, scene, label, source, strength) in enumerate(KEYFRAMES):
            png = Path(tmp) / f"{i}.png"
            render(scene(), png)
            data = png.read_bytes()
            name = f"images/{hashlib.sha256(data).hexdigest()[:32]}.png"
            (ASSETS / name).write_bytes(data)
            keyframes.append({"id": f"k{i + 1}", "frame": frame, "image": name, "source": source,
                              "strength": strength, "fit": "cover", "label": label,
                              "approachChunks": 2, "approachWeight": 0.5, "approachSteps": 1})
    project = {
        "format": "sfstudio-project",
        "version": 4,
        "generator": "scripts/make-sample-project.py",
        "fps": 16,
        "durationFrames": 81,
        "settings": {"width": WIDTH, "height": HEIGHT, "seed": 42,
                     "steps": [1000, 750, 500, 250], "decoder": "wan-vae",
                     "attentionWindow": 0, "sinkFrames": 0, "device": "auto",
                     "modelFolder": ""},
        "keyframes": keyframes,
        "prompts": [{"id": f"p{i + 1}", "start": start, "text": text}
                    for i, (start, text) in enumerate(PROMPTS)],
        "takes": [],
        "markers": [],
    }
    PROJECT.write_text(json.dumps(project, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {PROJECT} and {len(keyframes)} images in {ASSETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

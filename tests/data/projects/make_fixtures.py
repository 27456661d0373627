#!/usr/bin/env python3
"""Writes the project-file fixtures of the tests and the loader's fuzz corpus.

- bad/*.sfsproj: one malformed project per kind of mistake, each a small change to a valid
  project, and bad/expected.json: for each file the JSON pointer and a phrase of the error that
  sfstudio must report. The core tests load every file and check both.
- ../../fuzz/corpus/project_loader/: seeds for the loader's fuzz target (valid and malformed).

The version-0, -1 and -2 fixtures (v0/, v1/, v2/storyboard.sfsproj) are written by hand, not by
this script.
Run: python3 tests/data/projects/make_fixtures.py
"""
import copy
import hashlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
CORPUS = HERE.parent.parent / "fuzz" / "corpus" / "project_loader"
SAMPLE = HERE.parent.parent.parent / "resources" / "examples" / "paper-boat.sfsproj"

PNG_BYTES = (SAMPLE.parent / "paper-boat.sfsproj.assets" / "images").glob("*.png")
PNG = sorted(PNG_BYTES)[0].read_bytes()


def name_of(data: bytes, suffix: str) -> str:
    return f"images/{hashlib.sha256(data).hexdigest()[:32]}.{suffix}"


IMAGE = name_of(PNG, "png")

APPROACH = {"approachChunks": 2, "approachWeight": 0.5, "approachSteps": 1}

VALID = {
    "format": "sfstudio-project",
    "version": 3,
    "fps": 16,
    "durationFrames": 81,
    "settings": {"width": 832, "height": 480, "seed": 7, "steps": [1000, 750, 500, 250],
                 "decoder": "wan-vae", "attentionWindow": 0, "sinkFrames": 0,
                 "device": "auto", "modelFolder": ""},
    "keyframes": [
        {"id": "k1", "frame": 0, "image": IMAGE, "strength": 1.0, "fit": "cover", **APPROACH},
        {"id": "k2", "frame": 40, "image": IMAGE, "strength": 0.5, "fit": "fit", **APPROACH},
    ],
    "prompts": [{"id": "p1", "start": 0, "text": "a lake"},
                {"id": "p2", "start": 33, "text": "a bridge"}],
    "takes": [],
    "markers": [{"id": "m1", "frame": 12, "name": "wave"}, {"id": "m2", "frame": 60}],
}

TAKE = {"id": "t1", "created": "2026-01-02T03:04:05.678Z", "settings": VALID["settings"],
        "durationFrames": 81, "status": "stopped", "chunksCompleted": 3,
        "latents": "takes/t1/latents.safetensors", "frames": "takes/t1/frames"}


def variant(change):
    p = copy.deepcopy(VALID)
    change(p)
    return json.dumps(p, indent=2) + "\n"


def setting(key, value):
    return lambda p: p["settings"].__setitem__(key, value)


def keyframe(index, key, value):
    return lambda p: p["keyframes"][index].__setitem__(key, value)


def with_take(**fields):
    def change(p):
        t = copy.deepcopy(TAKE)
        t.update(fields)
        p["takes"] = [t]
    return change


def marker(index, key, value):
    return lambda p: p["markers"][index].__setitem__(key, value)


def with_branch(**fields):
    """A root take t1 and a take t2 regenerated from it."""
    def change(p):
        branch = copy.deepcopy(TAKE)
        branch.update(id="t2", parent="t1", branchChunk=2, latents="takes/t2/latents",
                      frames="takes/t2/frames")
        branch.update(fields)
        p["takes"] = [copy.deepcopy(TAKE), branch]
    return change


def drop(key):
    return lambda p: p.pop(key)


# name: (file text or a change to VALID, pointer, phrase of the problem, assets {path: bytes})
CASES = {
    "malformed_json": ('{\n  "format": "sfstudio-project",\n  "version": 1,,\n}\n', "",
                       "malformed JSON at line 3", None),
    "empty": ("", "", "the file is empty", None),
    "not_an_object": ("[1, 2, 3]\n", "", "the top level must be a JSON object", None),
    "wrong_format": (variant(lambda p: p.__setitem__("format", "something-else")), "/format",
                     "not an sfstudio project", None),
    "newer_version": (variant(lambda p: p.__setitem__("version", 7)), "/version",
                      "version 7, written by a newer sfstudio; this sfstudio", None),
    "version_not_integer": (variant(lambda p: p.__setitem__("version", "1")), "/version",
                            "must be an integer, not a string", None),
    "missing_duration": (variant(drop("durationFrames")), "/durationFrames",
                         "required field is missing", None),
    "missing_prompts": (variant(drop("prompts")), "/prompts", "required field is missing", None),
    "settings_not_object": (variant(lambda p: p.__setitem__("settings", [])), "/settings",
                            "must be an object, not an array", None),
    "off_grid_duration": (variant(lambda p: p.__setitem__("durationFrames", 80)),
                          "/durationFrames", "not on the chunk grid (12n − 3 frames); nearest: 81",
                          None),
    "unsupported_fps": (variant(lambda p: p.__setitem__("fps", 24)), "/fps",
                        "24 fps is not supported", None),
    "mistyped_strength": (variant(keyframe(1, "strength", "high")), "/keyframes/1/strength",
                          "must be a number, not a string", None),
    "strength_out_of_range": (variant(keyframe(1, "strength", 1.5)), "/keyframes/1/strength",
                              "outside 0…1", None),
    "strength_two": (variant(keyframe(1, "strength", 2)), "/keyframes/1/strength",
                     "strength 2 is outside 0…1", None),
    "approach_chunks_negative": (variant(keyframe(1, "approachChunks", -1)),
                                 "/keyframes/1/approachChunks",
                                 "approach of -1 chunks is outside 0…100", None),
    "approach_weight_out_of_range": (variant(keyframe(0, "approachWeight", 1.5)),
                                     "/keyframes/0/approachWeight",
                                     "approach weight 1.5 is outside 0…1", None),
    "approach_steps_negative": (variant(keyframe(1, "approachSteps", -2)),
                                "/keyframes/1/approachSteps",
                                "approach over -2 steps is outside 0…1000", None),
    "approach_steps_not_integer": (variant(keyframe(1, "approachSteps", 1.5)),
                                   "/keyframes/1/approachSteps", "must be an integer", None),
    "missing_approach": (variant(lambda p: p["keyframes"][0].pop("approachChunks")),
                         "/keyframes/0/approachChunks", "required field is missing", None),
    "same_latent_frame": (variant(lambda p: p["keyframes"][0].__setitem__("frame", 37)),
                          "/keyframes/1/frame",
                          "frames 37 and 40 both lie in latent frame 10 (video frames 37…40); "
                          "the model holds one keyframe per latent frame (/keyframes/0)", None),
    "fractional_frame": (variant(keyframe(1, "frame", 3.5)), "/keyframes/1/frame",
                         "must be an integer, not 3.5", None),
    "negative_frame": (variant(keyframe(1, "frame", -4)), "/keyframes/1/frame",
                       "frame -4 is negative", None),
    "keyframe_beyond_duration": (variant(keyframe(1, "frame", 81)), "/keyframes/1/frame",
                                 "beyond the end of the timeline (last frame 80)", None),
    "duplicate_keyframe_id": (variant(keyframe(1, "id", "k1")), "/keyframes/1/id",
                              'duplicate id "k1" (also used by /keyframes/0)', None),
    "duplicate_keyframe_frame": (variant(keyframe(1, "frame", 0)), "/keyframes/1/frame",
                                 "frame 0 already has a keyframe (/keyframes/0)", None),
    "bad_fit": (variant(keyframe(0, "fit", "zoom")), "/keyframes/0/fit",
                '"zoom" is not one of cover, fit, stretch', None),
    "bad_id": (variant(lambda p: p["prompts"][1].__setitem__("id", "p 2")), "/prompts/1/id",
               "may contain only letters", None),
    "escaping_asset_path": (variant(keyframe(0, "image", "../../../etc/passwd")),
                            "/keyframes/0/image", "must stay inside the assets folder", None),
    "absolute_asset_path": (variant(keyframe(0, "image", "/etc/passwd")), "/keyframes/0/image",
                            "must be relative to the assets folder", None),
    "duplicate_prompt_start": (variant(lambda p: p["prompts"][1].__setitem__("start", 0)),
                               "/prompts/1/start",
                               "a prompt segment already starts at frame 0 (/prompts/0)", None),
    "no_prompt_at_zero": (variant(lambda p: p["prompts"][0].__setitem__("start", 5)), "/prompts",
                          "no prompt segment starts at frame 0", None),
    "prompt_beyond_duration": (variant(lambda p: p["prompts"][1].__setitem__("start", 200)),
                               "/prompts/1/start", "beyond the end of the timeline", None),
    "bad_decoder": (variant(setting("decoder", "vqgan")), "/settings/decoder",
                    '"vqgan" is not one of wan-vae, taehv', None),
    "width_not_multiple": (variant(setting("width", 830)), "/settings/width",
                           "830 is not a multiple of 16 pixels", None),
    "steps_not_decreasing": (variant(setting("steps", [1000, 500, 750])), "/settings/steps",
                             "steps must decrease strictly (750 follows 500)", None),
    "step_not_integer": (variant(setting("steps", [1000, "750"])), "/settings/steps/1",
                         "must be an integer, not a string", None),
    "seed_too_large": (variant(setting("seed", 2 ** 60)), "/settings/seed",
                       "is outside 0…9007199254740991", None),
    "sink_without_room": (variant(lambda p: p["settings"].update(attentionWindow=6,
                                                                 sinkFrames=4)),
                          "/settings/sinkFrames", "leave no room for a chunk", None),
    "bad_device": (variant(setting("device", "tpu")), "/settings/device",
                   'device "tpu" is not one of auto, cpu, cuda, cuda:N', None),
    "take_bad_progress": (variant(with_take(status="complete", chunksCompleted=3)),
                          "/takes/0/chunksCompleted", "a complete take of 81 frames has 7 chunks",
                          None),
    "take_bad_created": (variant(with_take(created="yesterday")), "/takes/0/created",
                         '"yesterday" is not an ISO 8601 date and time', None),
    "take_bad_status": (variant(with_take(status="paused")), "/takes/0/status",
                        '"paused" is not one of complete, stopped', None),
    "take_duplicate_id": (variant(lambda p: p.__setitem__("takes", [TAKE, TAKE])),
                          "/takes/1/id", 'duplicate id "t1"', None),
    "take_unknown_parent": (variant(with_branch(parent="t9")), "/takes/1/parent",
                            'there is no parent take "t9"', None),
    "take_own_parent": (variant(with_branch(parent="t2")), "/takes/1/parent",
                        'take "t2" cannot be its own parent', None),
    "take_branch_chunk_out_of_range": (variant(with_branch(branchChunk=7)),
                                       "/takes/1/branchChunk",
                                       "branch chunk 7 is outside 1…6", None),
    "take_branch_without_parent": (variant(with_take(branchChunk=2)), "/takes/0/branchChunk",
                                   "branch chunk 2 without a parent take", None),
    "missing_markers": (variant(drop("markers")), "/markers", "required field is missing", None),
    "marker_beyond_duration": (variant(marker(1, "frame", 81)), "/markers/1/frame",
                               "beyond the end of the timeline (last frame 80)", None),
    "duplicate_marker_frame": (variant(marker(1, "frame", 12)), "/markers/1/frame",
                               "frame 12 already has a marker (/markers/0)", None),
    "duplicate_marker_id": (variant(marker(1, "id", "m1")), "/markers/1/id",
                            'duplicate id "m1" (also used by /markers/0)', None),
    "marker_name_too_long": (variant(marker(0, "name", "x" * 201)), "/markers/0/name",
                             "marker name is longer than 200 characters", None),
    "missing_asset": (variant(lambda p: None), "/keyframes/0/image",
                      f'asset "{IMAGE}" is missing', None),
    "missing_take_latents": (variant(with_take()), "/takes/0/latents",
                             'asset "takes/t1/latents.safetensors" is missing', {IMAGE: PNG}),
    "corrupt_image": (variant(keyframe(0, "image", "images/0123456789abcdef0123456789abcdef.png")),
                      "/keyframes/0/image", "cannot be used", {
                          IMAGE: PNG,
                          "images/0123456789abcdef0123456789abcdef.png": b"this is not a PNG\n" * 20}),
    "truncated_image": (variant(keyframe(0, "image", "images/truncated.png")),
                        "/keyframes/0/image", "cannot be used",
                        {IMAGE: PNG, "images/truncated.png": PNG[: len(PNG) // 2]}),
    "v0_bad_resolution": (json.dumps({"format": "sfstudio-project", "version": 0, "frames": 81,
                                      "resolution": [832], "seed": 1,
                                      "steps": [1000], "decoder": "wan-vae", "keyframes": [],
                                      "prompts": [{"frame": 0, "prompt": "x"}]}, indent=2),
                          "/resolution", "must be [width, height], not 1 numbers", None),
}


def main() -> int:
    if BAD.exists():
        shutil.rmtree(BAD)
    BAD.mkdir(parents=True)
    expected = {}
    for name, (text, pointer, problem, assets) in CASES.items():
        (BAD / f"{name}.sfsproj").write_text(text, encoding="utf-8")
        expected[f"{name}.sfsproj"] = {"pointer": pointer, "problem": problem}
        for path, data in (assets or {}).items():
            target = BAD / f"{name}.sfsproj.assets" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    (BAD / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")

    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir(parents=True)
    for ts in BAD.glob("*.sfsproj"):
        shutil.copy(ts, CORPUS / ts.name)
    shutil.copy(SAMPLE, CORPUS / "sample.sfsproj")
    shutil.copy(HERE / "v0" / "storyboard.sfsproj", CORPUS / "v0.sfsproj")
    shutil.copy(HERE / "v1" / "storyboard.sfsproj", CORPUS / "v1.sfsproj")
    shutil.copy(HERE / "v2" / "storyboard.sfsproj", CORPUS / "v2.sfsproj")
    (CORPUS / "valid.sfsproj").write_text(variant(with_take()), encoding="utf-8")
    (CORPUS / "valid_branch.sfsproj").write_text(variant(with_branch()), encoding="utf-8")
    print(f"wrote {len(CASES)} bad projects to {BAD} and "
          f"{len(list(CORPUS.iterdir()))} seeds to {CORPUS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

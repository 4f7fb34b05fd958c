#!/usr/bin/env python3
"""How much of each tiled mark is still in a corpus clip's pixels after encoding.

A detector cannot find what the encoder threw away. For each tiled clip of a corpus made by
make_corpus.py, this remakes the same clip without its mark (same page, same content seed, the
layer at opacity 0, the same encoder settings), decodes both, and compares their difference
D = marked - unmarked with the difference the mark would make if nothing were lost,
E = a * (c - unmarked), a the layer's alpha (opacity included), c the mark's gray level:

  expected  RMS of E over the mark's pixels (gray levels): what the mark puts into the picture.
            A white mark on a bare white page puts in nothing; over dark text it lifts the ink.
  kept      <D, E> / <E, E>: the share of that signal the encoder kept (1 intact, 0 gone).
  left      kept * expected: the mark's signal still in the frames, gray levels RMS over its
            strokes (about what a detector has to work with, before the content's own changes).
  noise     RMS of D away from the mark (3 px and more from any stroke): how far two encodes of
            nearly the same picture differ there, in gray levels (an upper bound of the encoder's
            noise: the mark's ringing reaches past 3 px in an 8 x 8 block).

usage: mark_presence.py CORPUS_DIR --seed N [--full | --medium] [--tiled N] [--only COND,...]
                        [--measure COND,...] [--reports F.jsonl] [--every N]
  CORPUS_DIR must have been made with the same seed, mode, --tiled and --only (the script checks
  each clip against its manifest). --measure defaults to the tiled_op conditions. --reports (saved by
  evaluate.py --save-reports) adds whether the mark was found, as text or only as logos. Needs ffmpeg and OpenCV's
  Python bindings (/usr/bin/python3 on Debian with python3-opencv).
"""
import argparse
import json
import os
import random
import sys
import tempfile

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_corpus  # noqa: E402

GRAY_OF = {"white": 255.0, "grey": 128.0, "black": 0.0}
TEXT_IDS = {"video.tiled_text", "video.text_overlay"}
LOGO_ID = "video.logo_overlay"


def gray_frames(path, every):
    """Every `every`-th decoded frame as float32 gray."""
    cap = cv2.VideoCapture(path)
    frames, i = [], 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if i % every == 0:
            frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float32))
        i += 1
    cap.release()
    if not frames:
        sys.exit(f"{path}: no frame could be decoded")
    return frames


def layer_alpha(spec, tmp):
    """The tiled layer's alpha in [0, opacity], as make_corpus draws it."""
    path = os.path.join(tmp, "layer.png")
    make_corpus.make_tiled_layer(path, spec["width"], spec["height"], spec["text"], spec["size_px"],
                                 spec["angle_deg"], make_corpus.COLOURS[spec["colour"]], spec["opacity"])
    rgba = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if rgba is None or rgba.ndim != 3 or rgba.shape[2] != 4:
        sys.exit(f"{path}: the layer has no alpha channel")
    return rgba[:, :, 3].astype(np.float32) / 255.0


def measure(marked, unmarked, alpha, colour_gray):
    if len(marked) != len(unmarked) or marked[0].shape != alpha.shape:
        sys.exit("the marked and unmarked clips differ in length or size")
    stroke = alpha > 0.5 * alpha.max()
    far = cv2.dilate((alpha > 0).astype(np.uint8), np.ones((7, 7), np.uint8)) == 0
    de = ee = 0.0
    expected_sq, noise_sq = [], []
    for m, u in zip(marked, unmarked):
        d = m - u
        e = alpha * (colour_gray - u)
        de += float((d * e).sum())
        ee += float((e * e).sum())
        expected_sq.append(float((e[stroke] ** 2).mean()))
        noise_sq.append(float((d[far] ** 2).mean()) if far.any() else 0.0)
    expected = float(np.sqrt(np.mean(expected_sq)))
    kept = de / ee if ee > 0 else 0.0
    noise = float(np.sqrt(np.mean(noise_sq)))
    return dict(expected_gray=expected, kept=kept, left_gray=kept * expected, noise_gray=noise)


def found_marks(reports_path):
    """File name -> "text", "logo" (found only as logo findings: evaluate.py counts that as
    detected, of the wrong class) or "no"."""
    if not reports_path:
        return {}
    found = {}
    with open(reports_path) as f:
        for line in f:
            report = json.loads(line)
            detectors = {x.get("detector") for x in report.get("findings", [])}
            found[os.path.basename(report.get("path", ""))] = (
                "text" if detectors & TEXT_IDS else "logo" if LOGO_ID in detectors else "no")
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus_dir")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--medium", action="store_true")
    ap.add_argument("--tiled", type=int, default=0, help="as given to make_corpus.py")
    ap.add_argument("--only", default="", help="as given to make_corpus.py")
    ap.add_argument("--measure", default="", help="conditions to measure (default: the tiled_op ones)")
    ap.add_argument("--reports", default="", help="evaluate.py --save-reports output")
    ap.add_argument("--every", type=int, default=12, help="compare every N-th frame (default 12)")
    args = ap.parse_args()
    with open(os.path.join(args.corpus_dir, "manifest.json")) as f:
        manifest = {t["file"]: t for t in json.load(f)}
    rng = random.Random(args.seed)
    specs = make_corpus.specs("full" if args.full else "medium" if args.medium else "small", rng, args.tiled)
    if args.only:
        specs = [s for s in specs if s["condition"] in set(args.only.split(","))]
    measured = set(args.measure.split(",")) if args.measure else None
    found = found_marks(args.reports)
    print(f"{'clip':28} {'colour':6} {'page':5} {'px':>3} {'crf':>3} {'expected':>8} {'kept':>6} "
          f"{'left':>6} {'noise':>6}" + ("  found" if found else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for idx, spec in enumerate(specs):
            name = make_corpus.clip_name(idx, spec)
            wanted = spec["kind"] == "tiled" and not spec.get("downscale") and (
                spec["condition"] in measured if measured else spec["condition"].startswith("tiled_op"))
            if not wanted:
                make_corpus.content_draws(rng)  # as clip() would, so later clips stay the same
                continue
            truth = manifest.get(name, {})
            if any(truth.get(k) != v for k, v in spec.items()):
                sys.exit(f"{name}: not in {args.corpus_dir}'s manifest as this seed and mode make it")
            make_corpus.clip(tmp, idx, dict(spec, opacity=0.0), rng)
            marked = gray_frames(os.path.join(args.corpus_dir, name), args.every)
            unmarked = gray_frames(os.path.join(tmp, name), args.every)
            os.remove(os.path.join(tmp, name))
            r = measure(marked, unmarked, layer_alpha(spec, tmp), GRAY_OF[spec["colour"]])
            page = "cam" if spec.get("camera") else spec.get("theme", "")
            print(f"{name:28} {spec['colour']:6} {page:5} {spec['size_px']:>3} {spec['crf']:>3} "
                  f"{r['expected_gray']:8.2f} {r['kept']:6.2f} {r['left_gray']:6.2f} {r['noise_gray']:6.2f}"
                  + (f"  {found.get(name, '?')}" if found else ""), flush=True)


if __name__ == "__main__":
    main()

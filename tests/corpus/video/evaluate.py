#!/usr/bin/env python3
"""Scores wmscan's video detectors on a corpus made by make_corpus.py.

Runs `wmscan scan --format jsonl --show-values --detectors video FILES` once over the corpus
and prints, by condition: detection rate (positives), false-positive rate (hard negatives),
localisation IoU, OCR exact match and character accuracy (1 - edit distance / length).

Burned-in name labels are scored on video.burned_in_text (detection, IoU, OCR); segments
(a mark switched on part-way) also print the error of the reported start time. In a gallery
view (kind "gallery") each tile's label is scored on its own, found when a burned-in text
finding's region holds its centre; the labelled gallery clips are counted again as hard
negatives for marks ("neg_gallery_labelled (marks)": a label is not a mark).

Moving lines (kind "single_moving") are scored like single lines, and also by places: a place is
found when a text finding's region holds its centre, timed when that finding's time ranges cover
at least half of the place's time.

Logos (kind "logo") are detected only by a video.logo_overlay finding; a text mark reported as
video.logo_overlay (and no text finding) still counts as detected but also in the column
"other" (wrong class), as does a logo reported only as text. A false positive is any mark
finding (text or logo) on a hard negative.

Rows for the issue's targets are counted again, outside the totals: each tiled_op condition at
CRF <= 30 and 720p or more ("crf<=30"; split again into marks of the page's own colour, white on
a light page or black on a dark one, "own col.", and the others, "contrast"), and tiled marks at
opacity >= 0.25 in 24 px or larger ("tiled >=0.25, >=24px", the OCR target). Tiled marks over a
picture that never changes (kind "still_tiled", browser_corpus.py's still_op conditions) are
scored in their own rows, not in those; their "undec" column counts the clips still said to be
undecided, as they should be. So are tiled marks over spreadsheet windows (kind "sheet_tiled",
browser_corpus.py --sheets).

usage: evaluate.py CORPUS_DIR [--wmscan PATH] [--small | --medium | --full] [--save-reports F.jsonl]
                   [--json TABLE.json]
  --small  make (if missing) and score the small corpus (about a dozen clips, < 3 min)
  --medium make (if missing) and score the medium corpus (about 45 clips, ~10 min on 2 cores)
  --full   make (if missing) and score the full corpus
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT_IDS = {"video.tiled_text", "video.text_overlay"}
LOGO_IDS = {"video.logo_overlay"}
MARK_IDS = TEXT_IDS | LOGO_IDS


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def region_list(finding):
    """A finding's region as [x, y, width, height], or None."""
    reg = finding.get("region")
    return [reg["x"], reg["y"], reg["width"], reg["height"]] if reg else None


def iou(a, b):
    if not a or not b:
        return 0.0
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus_dir")
    ap.add_argument("--wmscan", default=os.environ.get("WMSCAN", "build/tools/wmscan/wmscan"))
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--small", action="store_true")
    mode.add_argument("--medium", action="store_true")
    mode.add_argument("--full", action="store_true")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="passed to wmscan scan --param (repeatable), e.g. video.frames=all")
    ap.add_argument("--save-reports", metavar="FILE", help="also write wmscan's JSON-lines reports to FILE")
    ap.add_argument("--json", metavar="FILE", help="also write the table to FILE as JSON (rows by condition)")
    args = ap.parse_args()
    manifest_path = os.path.join(args.corpus_dir, "manifest.json")
    if not os.path.exists(manifest_path):
        # A corpus is made only into a new or empty folder: one that holds other files (a set
        # scored by another script, a set whose generator stopped half-way) would be scored as
        # a small default corpus, mixed in with them, and the figures would look like its own.
        if os.path.isdir(args.corpus_dir) and os.listdir(args.corpus_dir):
            sys.exit(f"evaluate.py: {args.corpus_dir} has files but no manifest.json: not a corpus made by "
                     f"make_corpus.py or browser_corpus.py, or one whose making stopped. Give a new or empty "
                     f"folder to have a corpus made there.")
        cmd = [sys.executable, os.path.join(HERE, "make_corpus.py"), args.corpus_dir] + \
            (["--full"] if args.full else ["--medium"] if args.medium else [])
        subprocess.run(cmd, check=True, stdout=sys.stderr)  # stdout holds the table only
    with open(manifest_path) as f:
        truths = json.load(f)
    files = [os.path.join(args.corpus_dir, t["file"]) for t in truths]
    params = [a for kv in args.param for a in ("--param", kv)]
    cmd = [args.wmscan, "scan", "--format", "jsonl", "--show-values", "--detectors", "video"] + params + files
    print("$ " + " ".join(cmd[:7 + len(params)]) + f" <{len(files)} files>", file=sys.stderr)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        print(r.stderr, file=sys.stderr)
    if args.save_reports:
        with open(args.save_reports, "w") as f:
            f.write(r.stdout)
    reports = {}
    for line in r.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        rep = json.loads(line)
        if "path" in rep:
            reports[os.path.basename(rep["path"])] = rep
    # Every clip must have been scanned: scores over missing reports would read as misses.
    unscanned = [t["file"] for t in truths if t["file"] not in reports]
    if unscanned:
        sys.exit(f"evaluate.py: {args.wmscan} gave no report for {len(unscanned)} of {len(truths)} clips "
                 f"(first: {unscanned[0]}; exit code {r.returncode}); no figures printed.")
    rows = collections.OrderedDict()
    for t in truths:
        rep = reports.get(t["file"])
        cond = t["condition"]
        if t["kind"] == "gallery" and t.get("labels"):
            count_gallery_labels(rows.setdefault(cond, collections.Counter()), t, rep)
            # The same clip is a hard negative for marks: its labels are burned-in text, not marks.
            count_clip(rows.setdefault(GALLERY_MARK_NEGATIVES, collections.Counter()), t, rep)
            continue
        count_clip(rows.setdefault(cond, collections.Counter()), t, rep)
        if cond.startswith("tiled_op") and t.get("crf", 0) <= 30 and t.get("height", 0) >= 720:
            # The targets for tiled marks hold for CRF <= 30 at 720p or more: those
            # clips are counted again in a row of their own (not in the totals).
            in_scope = cond + IN_SCOPE
            if in_scope not in rows:  # its two parts printed right under it
                for row_name in (in_scope, in_scope + OWN_COLOUR, in_scope + CONTRASTING):
                    rows[row_name] = collections.Counter()
            count_clip(rows[in_scope], t, rep, quiet=True)
            # Split once more by how the mark's colour stands against the page: a white mark over
            # a light page (black over a dark one) changes only the pixels where content of the
            # other colour passes under it, so most misses at low opacity are there.
            contrast = OWN_COLOUR if is_page_own_colour(t) else CONTRASTING
            count_clip(rows[in_scope + contrast], t, rep, quiet=True)
        if t["kind"] == "tiled" and t.get("opacity", 0) >= 0.25 and t.get("size_px", 0) >= 24:
            # The OCR target: tiled marks at opacity >= 0.25 in 24 px or larger, whatever
            # the condition (full-page and camera clips too) or CRF; counted again, not in totals.
            count_clip(rows.setdefault(OCR_SCOPE, collections.Counter()), t, rep, quiet=True)
    table = summarise(rows)
    print_table(table)
    if args.json:
        write_json(table, args.json)


IN_SCOPE = " crf<=30"
OWN_COLOUR = ", own col."
CONTRASTING = ", contrast"
OCR_SCOPE = "tiled >=0.25, >=24px"
GALLERY_MARK_NEGATIVES = "neg_gallery_labelled (marks)"


def is_page_own_colour(truth):
    """A white mark on a light page or a black one on a dark page ("mixed" pages are neither)."""
    colour, theme = truth.get("colour"), truth.get("theme")
    return (colour, theme) in {("white", "light"), ("black", "dark")}


def count_gallery_labels(row, t, rep):
    """Scores each name label of a gallery view (make_corpus.py kind "gallery") as one positive:
    found when a video.burned_in_text finding's region holds the label's centre."""
    burned = [f for f in (rep or {}).get("findings", []) if f["detector"] == "video.burned_in_text"]
    for label in t["labels"]:
        row["n"] += 1
        if rep is None:
            row["missing_report"] += 1
            continue
        x, y, w, h = label["region"]
        cx, cy = x + w / 2, y + h / 2
        hits = [f for f in burned if f.get("region") and f["region"]["x"] <= cx <= f["region"]["x"] + f["region"]["width"]
                and f["region"]["y"] <= cy <= f["region"]["y"] + f["region"]["height"]]
        if not hits:
            print(f"  {t['file']}: MISSED label {label['text']!r}", file=sys.stderr)
            continue
        best = min(hits, key=lambda f: edit_distance(f.get("evidence", {}).get("text", ""), label["text"]))
        reg = best["region"]
        text = best.get("evidence", {}).get("text", "")
        row["detected"] += 1
        row["iou_sum"] += iou(label["region"], [reg["x"], reg["y"], reg["width"], reg["height"]])
        row["exact"] += text == label["text"]
        row["char_acc_sum"] += max(0.0, 1.0 - edit_distance(text, label["text"]) / len(label["text"]))
        print(f"  {t['file']}: label truth={label['text']!r} read={text!r}", file=sys.stderr)


def count_places(places, findings):
    """A moving line's places (truth: region, start_s, end_s) found by `findings`: a finding whose
    region holds the place's centre; timed when that finding's time ranges also cover at least
    half of the place's time. Returns (found, timed)."""
    found = timed = 0
    for p in places:
        x, y, w, h = p["region"]
        cx, cy = x + w / 2, y + h / 2
        hits = [f for f in findings if f.get("region") and
                f["region"]["x"] <= cx <= f["region"]["x"] + f["region"]["width"] and
                f["region"]["y"] <= cy <= f["region"]["y"] + f["region"]["height"]]
        found += bool(hits)
        span = p["end_s"] - p["start_s"]
        for f in hits:
            covered = 0.0
            for r in f.get("time_ranges_s") or []:
                a, b = (r["start_s"], r["end_s"]) if isinstance(r, dict) else r
                covered += max(0.0, min(b, p["end_s"]) - max(a, p["start_s"]))
            if covered >= 0.5 * span:
                timed += 1
                break
    return found, timed


def count_clip(row, t, rep, quiet=False):
    """Adds one clip's outcome (truth `t`, report `rep` or None) to the condition's counters;
    explains each positive and each false positive on stderr unless `quiet`."""
    log = (lambda *a, **k: None) if quiet else print
    row["n"] += 1
    if rep is None:
        row["missing_report"] += 1
        if t.get("kind") == "single_moving":
            row["places_n"] += len(t["places"])
        return
    marks = [f for f in rep.get("findings", []) if f["detector"] in MARK_IDS]
    burned = [f for f in rep.get("findings", []) if f["detector"] == "video.burned_in_text"]
    undecided = any("could not separate" in n.get("reason", "") for n in rep.get("not_checked", []))
    row["undecidable"] += undecided
    if t["kind"] == "logo":
        logos = [f for f in marks if f["detector"] in LOGO_IDS]
        row["other_class"] += bool(marks) and not logos
        if logos:
            row["detected"] += 1
            reg = logos[0].get("region")
            row["iou_sum"] += iou(t.get("region"), [reg["x"], reg["y"], reg["width"], reg["height"]] if reg else None)
            ev = logos[0].get("evidence", {})
            log(f"  {t['file']}: logo {t['shape']} {t['size_px']}px op {t['opacity']} found "
                  f"alpha={ev.get('alpha', 0):.2f}", file=sys.stderr)
        else:
            log(f"  {t['file']}: MISSED logo {t['shape']} {t['size_px']}px op {t['opacity']} {t['position']}",
                  file=sys.stderr)
    elif t["kind"] in ("tiled", "single", "single_moving", "tiled_late", "label", "still_tiled", "sheet_tiled"):
        found = burned if t["kind"] == "label" else marks
        if t["kind"] != "label":
            # A text mark must be reported as text: as a logo only, it is the wrong class.
            row["other_class"] += bool(marks) and not any(f["detector"] in TEXT_IDS for f in marks)
            found = sorted(marks, key=lambda f: f["detector"] not in TEXT_IDS)
        if t["kind"] == "single_moving":
            # A finding per place, in no set order: the one at the first place is scored (IoU,
            # reading); the places column scores them all.
            found = sorted(found, key=lambda f: (f["detector"] not in TEXT_IDS, -iou(t.get("region"), region_list(f))))
        if found:
            row["detected"] += 1
            best = found[0]
            reg = best.get("region")
            row["iou_sum"] += iou(t.get("region"), [reg["x"], reg["y"], reg["width"], reg["height"]] if reg else None)
            text = best.get("evidence", {}).get("text", "")
            row["exact"] += text == t["text"]
            row["char_acc_sum"] += max(0.0, 1.0 - edit_distance(text, t["text"]) / len(t["text"]))
            extra = ""
            if t["kind"] == "tiled_late":
                ranges = best.get("time_ranges_s") or []
                start = min((r["start_s"] if isinstance(r, dict) else r[0]) for r in ranges) if ranges else 0.0
                err = abs(start - t["start_s"])
                row["start_err_sum"] += err
                extra = f" start={start:.1f}s (truth {t['start_s']}s)"
            if t["kind"] == "single_moving":
                # Single-line findings only: a tiled finding's region is the whole frame.
                lines = [f for f in marks if f["detector"] == "video.text_overlay"]
                found_places, timed_places = count_places(t["places"], lines)
                row["places_n"] += len(t["places"])
                row["places_found"] += found_places
                row["places_timed"] += timed_places
                extra = f" places found {found_places}/{len(t['places'])}, timed {timed_places}"
            log(f"  {t['file']}: truth={t['text']!r} read={text!r}{extra}", file=sys.stderr)
        else:
            if t["kind"] == "single_moving":
                row["places_n"] += len(t["places"])
            log(f"  {t['file']}: MISSED", file=sys.stderr)
    else:
        # Text in a toolbar, or a gallery's name labels, is burned-in text indeed; anywhere else
        # it is a false positive.
        wrong = marks + ([] if t["kind"] == "toolbar" or t.get("labels") else burned)
        row["false_positive"] += bool(wrong)
        if wrong:
            log(f"  {t['file']}: FALSE POSITIVE {wrong[0]['detector']}", file=sys.stderr)


COLUMNS = [("n", 4, "d"), ("detect", 9, ".2f"), ("FP", 7, ".2f"), ("IoU", 7, ".2f"), ("OCR=", 7, ".2f"),
           ("chars", 7, ".2f"), ("undec", 7, "d"), ("other", 7, "d")]


def summarise(rows):
    """The table as (row name, {column: value}) pairs, in print order; a column without a
    value is not in its row's dict (not measured for that kind of row)."""
    table = []
    pos_n = pos_d = neg_n = neg_fp = logo_n = logo_d = 0
    for cond, row in rows.items():
        n = row["n"]
        if n == 0:
            continue
        if IN_SCOPE in cond or cond == OCR_SCOPE:
            table.append((cond, {"n": n, "detect": row["detected"] / n, "OCR=": row["exact"] / n,
                                 "chars": row["char_acc_sum"] / n}))
            continue
        if cond.startswith("neg_"):
            neg_n += n
            neg_fp += row["false_positive"]
            table.append((cond, {"n": n, "FP": row["false_positive"] / n, "undec": row["undecidable"]}))
            continue
        d = row["detected"]
        pos_n += n
        pos_d += d
        values = {"n": n, "detect": d / n, "IoU": row["iou_sum"] / d if d else 0.0,
                  "undec": row["undecidable"], "other": row["other_class"]}
        if cond.startswith("logo"):  # nothing to read
            logo_n += n
            logo_d += d
        else:
            values.update({"OCR=": row["exact"] / n, "chars": row["char_acc_sum"] / n})
            if d and cond == "tiled_segment":
                values["start_error_s"] = row["start_err_sum"] / d
            if row["places_n"]:
                values["places"] = (row["places_found"], row["places_timed"], row["places_n"])
        table.append((cond, values))
    if pos_n:
        table.append(("ALL positives", {"n": pos_n, "detect": pos_d / pos_n}))
    if pos_n - logo_n:
        table.append(("  text marks, labels", {"n": pos_n - logo_n, "detect": (pos_d - logo_d) / (pos_n - logo_n)}))
    if logo_n:
        table.append(("  logos", {"n": logo_n, "detect": logo_d / logo_n}))
    if neg_n:
        table.append(("ALL negatives", {"n": neg_n, "FP": neg_fp / neg_n}))
    return table


def print_table(table):
    print(f"{'condition':<32}" + "".join(f"{name:>{width}}" for name, width, _ in COLUMNS))
    for cond, values in table:
        cells = "".join(f"{values[name]:>{width}{fmt}}" if name in values else " " * width
                        for name, width, fmt in COLUMNS)
        seg = f"  start error {values['start_error_s']:.1f} s" if "start_error_s" in values else ""
        if "places" in values:
            seg += "  places found {} timed {} of {}".format(*values["places"])
        print(f"{cond:<32}{cells}".rstrip() + seg)


def write_json(table, path):
    """The table for other programs: one object per row, its name under "condition" (stripped)."""
    with open(path, "w") as f:
        json.dump({"rows": [dict(condition=cond.strip(), **values) for cond, values in table]}, f, indent=1)

if __name__ == "__main__":
    main()

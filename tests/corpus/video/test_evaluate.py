#!/usr/bin/env python3
"""The video corpus's scorer (evaluate.py) on made-up truths and reports: every rate it prints
comes from these rules, so they are tested like the detectors (no video needed, a second)."""
import contextlib
import io
import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402


def finding(detector, region=None, text=None, **evidence):
    f = {"detector": detector, "evidence": dict(evidence)}
    if text is not None:
        f["evidence"]["text"] = text
    if region is not None:
        f["region"] = dict(zip(("x", "y", "width", "height"), region))
    return f


def report(*findings, not_checked=()):
    return {"findings": list(findings), "not_checked": [{"detector": "video.overlays", "reason": r} for r in not_checked]}


def tiled(text="jane.doe@example.com", **extra):
    return {"kind": "tiled", "condition": "tiled_op0.25", "text": text, "region": [0, 0, 1280, 720], **extra}


def counted(truth, rep):
    row = evaluate.collections.Counter()
    with contextlib.redirect_stderr(io.StringIO()):
        evaluate.count_clip(row, {"file": "clip.mp4", **truth}, rep)
    return row


class MeasuresTest(unittest.TestCase):
    def test_edit_distance_and_iou(self):
        self.assertEqual(evaluate.edit_distance("kitten", "sitting"), 3)
        self.assertEqual(evaluate.edit_distance("", "abc"), 3)
        self.assertAlmostEqual(evaluate.iou([0, 0, 10, 10], [5, 0, 10, 10]), 50 / 150)
        self.assertEqual(evaluate.iou([0, 0, 10, 10], [20, 20, 5, 5]), 0.0)
        self.assertEqual(evaluate.iou(None, [0, 0, 1, 1]), 0.0)


class CountClipTest(unittest.TestCase):
    def test_a_text_mark_read_exactly(self):
        row = counted(tiled(), report(finding("video.tiled_text", [0, 0, 1280, 720], "jane.doe@example.com")))
        self.assertEqual((row["n"], row["detected"], row["exact"], row["other_class"]), (1, 1, 1, 0))
        self.assertAlmostEqual(row["char_acc_sum"], 1.0)
        self.assertAlmostEqual(row["iou_sum"], 1.0)

    def test_a_misread_mark_scores_its_characters(self):
        row = counted(tiled(), report(finding("video.tiled_text", [0, 0, 1280, 720], "jane.doe@example.corn")))
        self.assertEqual((row["detected"], row["exact"]), (1, 0))
        self.assertAlmostEqual(row["char_acc_sum"], 1 - 2 / 20)

    def test_a_text_mark_reported_only_as_a_logo_is_found_but_the_wrong_class(self):
        row = counted(tiled(), report(finding("video.logo_overlay", [10, 10, 100, 100])))
        self.assertEqual((row["detected"], row["other_class"], row["exact"]), (1, 1, 0))

    def test_burned_in_text_alone_does_not_find_a_mark(self):
        row = counted(tiled(), report(finding("video.burned_in_text", [0, 0, 100, 20], "jane.doe")))
        self.assertEqual(row["detected"], 0)

    def test_a_label_is_found_only_as_burned_in_text(self):
        label = {"kind": "label", "condition": "burned_label", "text": "Maria Keller", "region": [20, 600, 200, 40]}
        self.assertEqual(counted(label, report(finding("video.text_overlay", [20, 600, 200, 40], "Maria Keller")))["detected"], 0)
        self.assertEqual(counted(label, report(finding("video.burned_in_text", [20, 600, 200, 40], "Maria Keller")))["exact"], 1)

    def test_any_mark_on_a_hard_negative_is_a_false_positive_and_toolbar_text_is_not(self):
        none = {"kind": "none", "condition": "neg_none"}
        self.assertEqual(counted(none, report())["false_positive"], 0)
        self.assertEqual(counted(none, report(finding("video.logo_overlay", [0, 0, 9, 9])))["false_positive"], 1)
        self.assertEqual(counted(none, report(finding("video.burned_in_text", [0, 0, 9, 9], "x")))["false_positive"], 1)
        toolbar = {"kind": "toolbar", "condition": "neg_toolbar"}
        self.assertEqual(counted(toolbar, report(finding("video.burned_in_text", [0, 0, 9, 9], "Mute")))["false_positive"], 0)
        self.assertEqual(counted(toolbar, report(finding("video.tiled_text", [0, 0, 9, 9], "Mute")))["false_positive"], 1)

    def test_a_moving_line_counts_the_places_found_and_timed(self):
        truth = {"kind": "single_moving", "condition": "single_moving", "text": "p.novak", "region": [100, 100, 200, 30],
                 "places": [{"region": [100, 100, 200, 30], "start_s": 0.0, "end_s": 6.0},
                            {"region": [700, 500, 200, 30], "start_s": 6.0, "end_s": 12.0},
                            {"region": [400, 300, 200, 30], "start_s": 12.0, "end_s": 18.0}]}
        first = finding("video.text_overlay", [95, 95, 210, 40], "p.novak")
        first["time_ranges_s"] = [[0.0, 5.5]]
        second = finding("video.text_overlay", [690, 495, 220, 40], "p.novak")
        second["time_ranges_s"] = [[0.0, 2.0]]  # at the right place, at the wrong time
        row = counted(truth, report(first, second))
        self.assertEqual((row["detected"], row["exact"]), (1, 1))
        self.assertEqual((row["places_n"], row["places_found"], row["places_timed"]), (3, 2, 1))
        missed = counted(truth, report())
        self.assertEqual((missed["detected"], missed["places_n"], missed["places_found"]), (0, 3, 0))
        # The finding at the first place is the one scored for IoU and reading, whatever the order.
        misread = finding("video.text_overlay", [690, 495, 220, 40], "p.nowak")
        row = counted(truth, report(misread, first))
        self.assertEqual(row["exact"], 1)
        self.assertGreater(row["iou_sum"], 0.5)

    def test_undecided_is_counted_apart(self):
        still = {"kind": "none", "condition": "neg_still"}
        row = counted(still, report(not_checked=["could not separate overlays from content"]))
        self.assertEqual((row["undecidable"], row["false_positive"]), (1, 0))


class GalleryLabelsTest(unittest.TestCase):
    def test_each_label_is_found_by_a_region_holding_its_centre(self):
        gallery = {"kind": "gallery", "condition": "burned_label_gallery", "file": "g.mp4",
                   "labels": [{"text": "Tom Berger", "region": [40, 300, 120, 26]},
                              {"text": "Alex Chen", "region": [680, 300, 100, 26]}]}
        rep = report(finding("video.burned_in_text", [36, 296, 130, 34], "Tom Berger"),
                     finding("video.burned_in_text", [300, 296, 130, 34], "Alex Chen"))  # elsewhere
        row = evaluate.collections.Counter()
        with contextlib.redirect_stderr(io.StringIO()):
            evaluate.count_gallery_labels(row, gallery, rep)
        self.assertEqual((row["n"], row["detected"], row["exact"]), (2, 1, 1))


class WholeRunTest(unittest.TestCase):
    """evaluate.py end to end with a stand-in for wmscan that prints prepared reports."""

    def run_evaluate(self, truths, reports, extra_args=()):
        with tempfile.TemporaryDirectory() as d:
            for t in truths:
                open(os.path.join(d, t["file"]), "wb").close()
            with open(os.path.join(d, "manifest.json"), "w") as f:
                json.dump(truths, f)
            lines = os.path.join(d, "reports.jsonl")
            with open(lines, "w") as f:
                for name, rep in reports.items():
                    f.write(json.dumps({"path": os.path.join(d, name), **rep}) + "\n")
            fake = os.path.join(d, "fake-wmscan")
            with open(fake, "w") as f:
                f.write(f"#!/bin/sh\ncat '{lines}'\nexit 1\n")
            os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)
            r = subprocess.run([sys.executable, evaluate.__file__, d, "--wmscan", fake, *extra_args],
                               capture_output=True, text=True)
            return r

    def test_rates_by_condition_and_the_in_scope_rows(self):
        truths = [
            tiled(file="a.mp4", crf=23, height=720, opacity=0.25, size_px=24, colour="white", theme="light"),
            tiled(file="b.mp4", crf=36, height=720, opacity=0.25, size_px=24, colour="black", theme="light"),
            {"kind": "none", "condition": "neg_none", "file": "c.mp4"},
        ]
        reports = {"a.mp4": report(finding("video.tiled_text", [0, 0, 1280, 720], "jane.doe@example.com")),
                   "b.mp4": report(), "c.mp4": report(finding("video.text_overlay", [0, 0, 9, 9], "x"))}
        r = self.run_evaluate(truths, reports)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = {line[:32].strip(): line[32:].split() for line in r.stdout.splitlines()[1:]}
        self.assertEqual(rows["tiled_op0.25"][:2], ["2", "0.50"])
        # Only the CRF-23 clip is in the scope (CRF <= 30), and it is of the page's colour.
        self.assertEqual(rows["tiled_op0.25 crf<=30"][:2], ["1", "1.00"])
        self.assertEqual(rows["tiled_op0.25 crf<=30, own col."][:2], ["1", "1.00"])
        self.assertNotIn("tiled_op0.25 crf<=30, contrast", rows)
        self.assertEqual(rows["neg_none"], ["1", "1.00", "0"])
        self.assertEqual(rows["ALL negatives"], ["1", "1.00"])

    def test_the_json_table_holds_the_printed_rows(self):
        truths = [tiled(file="a.mp4", crf=23, height=720, opacity=0.25, size_px=24, colour="white", theme="dark"),
                  {"kind": "none", "condition": "neg_none", "file": "c.mp4"}]
        reports = {"a.mp4": report(finding("video.tiled_text", [0, 0, 1280, 720], "jane.doe@exannple.com")),
                   "c.mp4": report()}
        with tempfile.TemporaryDirectory() as out:
            path = os.path.join(out, "table.json")
            r = self.run_evaluate(truths, reports, ["--json", path])
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(path) as f:
                rows = {row["condition"]: row for row in json.load(f)["rows"]}
        printed = [line[:32].strip() for line in r.stdout.splitlines()[1:]]
        self.assertEqual(list(rows), printed)
        self.assertEqual(rows["tiled_op0.25"]["detect"], 1.0)
        self.assertEqual(rows["tiled_op0.25"]["OCR="], 0.0)
        self.assertAlmostEqual(rows["tiled_op0.25"]["chars"], 1 - 2 / 20)
        self.assertEqual(rows["tiled_op0.25 crf<=30, contrast"]["n"], 1)
        self.assertEqual(rows["neg_none"], {"condition": "neg_none", "n": 1, "FP": 0.0, "undec": 0})
        self.assertNotIn("FP", rows["ALL positives"])

    def test_a_clip_without_a_report_stops_the_scoring(self):
        truths = [tiled(file="a.mp4"), tiled(file="b.mp4")]
        r = self.run_evaluate(truths, {"a.mp4": report()})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no report for 1 of 2 clips", r.stderr)
        self.assertNotIn("ALL positives", r.stdout)


if __name__ == "__main__":
    unittest.main()

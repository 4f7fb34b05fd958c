"""End-to-end tests of `wmscan scan` on fixtures made at test time (tests/fixtures/make_fixtures.sh)."""
import glob
import json
import os
import shutil
import tempfile
import unittest

from common import (SOURCE, all_values, data, detectors_of, main, run, scan_json, schema_validator, sha256)

META = ["--detectors", "meta"]

# What each fixture must yield (detector ids), from the recipe in make_fixtures.sh.
EXPECTED = {
    "meta.mp4": {"meta.person", "meta.email", "meta.gps", "meta.device", "meta.c2pa", "meta.unique_id"},
    "meta.mov": {"meta.person", "meta.device"},
    "meta.m4a": {"meta.person", "meta.account"},
    "meta.mkv": {"meta.person", "meta.attachment"},
    "meta.wav": {"meta.person", "meta.unique_id", "meta.c2pa"},
    "meta.mp3": {"meta.person", "meta.email", "meta.blob", "meta.c2pa", "meta.unique_id"},
}
CLEAN = ["clean.mp4", "clean.wav", "clean.mp3", "clean.mkv", "clean.m4a", "clean.mov"]
BAD = ["bad/empty.mp4", "bad/random.mp4", "bad/truncated.mp4", "bad/truncated_head.mp4",
       "bad/box_too_big.mp4", "bad/lying_chunk.wav", "bad/garbage_id3.mp3"]
PERSONAL = ["jane.doe@example.com", "Jane Doe"]


class UsageTest(unittest.TestCase):
    def test_help_and_version(self):
        code, out, _ = run(["--help"])
        self.assertEqual(code, 0)
        self.assertIn("scan", out)
        code, out, _ = run(["--version"])
        self.assertEqual(code, 0)
        self.assertRegex(out, r"wmscan \d+\.\d+\.\d+")
        code, out, _ = run(["scan", "--help"])
        self.assertEqual(code, 0)
        for flag in ("--format", "--show-values", "--fail-on", "--detectors", "-o"):
            self.assertIn(flag, out)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run([])[0], 2)
        self.assertEqual(run(["scan"])[0], 2)
        self.assertEqual(run(["scan", "--format", "xml", data("clean.mp4")])[0], 2)
        self.assertEqual(run(["scan", "--detectors", "telepathy", data("clean.mp4")])[0], 2)
        self.assertEqual(run(["frobnicate"])[0], 2)

    def test_detectors_lists_only_built_families(self):
        code, out, _ = run(["detectors"])
        self.assertEqual(code, 0)
        families = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
        self.assertEqual(families[0], "meta")
        self.assertTrue(set(families) <= {"meta", "audio", "video"}, families)
        for family in families:  # every listed family really runs
            code, _, err = run(["scan", "--detectors", family, data("clean.wav")])
            self.assertIn(code, (0, 1), err)


class CleanFilesTest(unittest.TestCase):
    def test_clean_files_have_no_findings_and_exit_0(self):
        code, doc, err = scan_json([data(n) for n in CLEAN], extra=META)
        self.assertEqual(code, 0, err)
        for rec in doc["files"]:
            self.assertEqual(rec["status"], "scanned", rec["path"])
            self.assertTrue(rec["complete"], rec["path"])
            self.assertEqual(rec["findings"], [], rec["path"])

    def test_text_says_clean(self):
        code, out, _ = run(["scan", *META, data("clean.wav")])
        self.assertEqual(code, 0)
        self.assertIn("CLEAN", out)


class MetadataFixturesTest(unittest.TestCase):
    def test_each_fixture_yields_its_marks(self):
        for name, expected in EXPECTED.items():
            with self.subTest(name=name):
                code, doc, err = scan_json([data(name)], extra=META)
                self.assertEqual(code, 1, err)
                rec = doc["files"][0]
                self.assertEqual(rec["status"], "scanned", rec["errors"])
                missing = expected - detectors_of(rec)
                self.assertFalse(missing, f"{name}: missing {missing}; got {sorted(detectors_of(rec))}")

    def test_zoom_export_sidecars_and_file_name(self):
        code, doc, _ = scan_json(glob.glob(data("zoom", "*.m4a")) + glob.glob(data("zoom", "*.mp4")))
        self.assertEqual(code, 1)
        found = set()
        for rec in doc["files"]:
            found |= detectors_of(rec)
        self.assertTrue({"meta.file_name", "meta.sidecar_chat", "meta.sidecar_transcript"} <= found, found)
        code, doc, _ = scan_json(glob.glob(data("zoom", "*.m4a")), extra=["--no-sidecars"])
        self.assertFalse(detectors_of(doc["files"][0]) & {"meta.file_name", "meta.sidecar_chat"})

    def test_values_redacted_unless_asked_in_every_format(self):
        paths = [data(n) for n in EXPECTED] + glob.glob(data("zoom", "*.m4a"))
        for fmt in ("text", "json", "jsonl", "csv", "sarif", "html"):
            with self.subTest(fmt=fmt):
                _, out, _ = run(["scan", *META, "--format", fmt, *paths])
                for value in PERSONAL:
                    self.assertNotIn(value, out)
                _, out, _ = run(["scan", *META, "--format", fmt, "--show-values", *paths])
                for value in PERSONAL:
                    self.assertIn(value, out)

    def test_fail_on_threshold(self):
        self.assertEqual(run(["scan", "--fail-on", "high", data("meta.mp4")])[0], 1)
        self.assertEqual(run(["scan", "--fail-on", "none", data("meta.mp4")])[0], 0)
        self.assertEqual(run(["scan", *META, "--fail-on", "info", data("clean.mp4")])[0], 0)

    def test_output_file_and_jsonl(self):
        with tempfile.TemporaryDirectory() as tmp:
            out_path = os.path.join(tmp, "r.jsonl")
            code, out, _ = run(["scan", "--format", "jsonl", "-o", out_path, data("meta.mp4"), data("clean.wav")])
            self.assertEqual(code, 1)
            self.assertEqual(out, "")
            with open(out_path) as f:
                lines = [json.loads(l) for l in f]
            self.assertEqual([os.path.basename(l["path"]) for l in lines], ["meta.mp4", "clean.wav"])

    def test_dash_output_is_stdout(self):
        with tempfile.TemporaryDirectory() as tmp:
            code, out, _ = run(["scan", "--format", "json", "-o", "-", data("clean.wav")], cwd=tmp)
            self.assertEqual(code, 0)
            self.assertEqual(os.path.basename(json.loads(out)["files"][0]["path"]), "clean.wav")
            self.assertEqual(os.listdir(tmp), [])


class BadInputTest(unittest.TestCase):
    def test_each_bad_input_is_a_named_error_not_a_crash(self):
        hashes = {n: sha256(data(n)) for n in BAD}
        for name in BAD + ["bad/adir.mp4", "bad/does-not-exist.mp4"]:
            with self.subTest(name=name):
                code, out, err = run(["scan", "--format", "json", data(name)])
                self.assertEqual(code, 3, f"{name}: exit {code}; stderr: {err}")
                self.assertNotIn("Sanitizer", err)
                self.assertNotIn("runtime error", err)
                lines = [l for l in err.splitlines() if l.strip()]
                self.assertTrue(lines, "no diagnostic")
                self.assertTrue(all(os.path.basename(name) in l for l in lines), err)
                rec = json.loads(out)["files"][0]
                self.assertFalse(rec["complete"])
                self.assertIn(rec["status"], ("error", "unsupported", "partial"))
                self.assertTrue(rec["errors"])
                code, text, _ = run(["scan", data(name)])
                self.assertNotIn("CLEAN", text)
        for name, digest in hashes.items():
            self.assertEqual(sha256(data(name)), digest, f"{name} was modified")

    def test_a_bad_file_does_not_stop_the_others(self):
        code, doc, _ = scan_json([data("bad/random.mp4"), data("meta.mp4")])
        self.assertEqual(code, 3)
        self.assertEqual(doc["files"][1]["status"], "scanned")
        self.assertTrue(doc["files"][1]["findings"])

    def test_scanning_writes_nothing_beside_the_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(data("meta.mp4"), tmp)
            before = sorted(os.listdir(tmp))
            run(["scan", os.path.join(tmp, "meta.mp4")])
            self.assertEqual(sorted(os.listdir(tmp)), before)


class ArtifactsTest(unittest.TestCase):
    """--artifacts DIR stores every evidence picture; merge --format html embeds them again."""
    SAMPLE = os.path.join(SOURCE, "samples", "screen-share.mp4")

    def test_pictures_are_stored_and_embedded_by_a_later_merge(self):
        digest = sha256(self.SAMPLE)
        with tempfile.TemporaryDirectory() as tmp:
            store, jsonl = os.path.join(tmp, "evidence"), os.path.join(tmp, "r.jsonl")
            code, _, err = run(["scan", "--fail-on", "none", "--artifacts", store, "--format", "jsonl",
                                "-o", jsonl, self.SAMPLE])
            self.assertEqual(code, 0, err)
            with open(jsonl) as f:
                rec = json.loads(f.readline())
            listed = [a for f in rec["findings"] for a in f["artifacts"]]
            self.assertTrue(listed, "the sample's findings carry no pictures")
            for a in listed:
                self.assertTrue(a["path"].startswith(store), a)
                with open(a["path"], "rb") as f:
                    body = f.read()
                self.assertEqual(len(body), a["size_bytes"])
                self.assertEqual(body[:8], b"\x89PNG\r\n\x1a\n")
            stored = sorted(glob.glob(os.path.join(store, "*", "*")))
            self.assertEqual(sorted(a["path"] for a in listed), stored)  # nothing else, no temporaries
            public = [a for f in rec["findings"] if not f["personal_fields"] for a in f["artifacts"]]
            self.assertTrue(public, "the sample needs a picture the page may show, or the count below proves nothing")
            code, html, err = run(["merge", "--fail-on", "none", "--format", "html", jsonl])
            self.assertEqual(code, 0, err)
            self.assertEqual(html.count('src="data:image/png;base64,'), len(public))
            # Without the store the page says where the pictures were, and still renders.
            shutil.rmtree(store)
            code, html, err = run(["merge", "--fail-on", "none", "--format", "html", jsonl])
            self.assertEqual(code, 0, err)
            self.assertNotIn("data:image/png", html)
        self.assertEqual(sha256(self.SAMPLE), digest)

    def test_a_crafted_path_cannot_pull_other_files_into_the_page(self):
        with tempfile.TemporaryDirectory() as tmp:
            secret = os.path.join(tmp, "secret.txt")
            with open(secret, "w") as f:
                f.write("TOP-SECRET-CONTENT")
            jsonl = os.path.join(tmp, "r.jsonl")
            code, _, _ = run(["scan", *META, "--format", "jsonl", "-o", jsonl, data("meta.mp4")])
            with open(jsonl) as f:
                rec = json.loads(f.readline())
            rec["findings"][0]["artifacts"] = [{"kind": "recovered_mark", "media_type": "image/png",
                                                "file_name": "x.png", "size_bytes": 18, "path": secret}]
            with open(jsonl, "w") as f:
                f.write(json.dumps(rec) + "\n")
            code, html, err = run(["merge", "--fail-on", "none", "--format", "html", "--show-values", jsonl])
            self.assertEqual(code, 0, err)
            self.assertNotIn("TOP-SECRET", html)
            self.assertNotIn("VE9QLVNFQ1JFV", html)  # nor its base64


class SchemaTest(unittest.TestCase):
    def test_json_and_jsonl_validate_against_the_schema(self):
        validator = schema_validator()
        paths = ([data(n) for n in CLEAN + list(EXPECTED) + BAD] + glob.glob(data("zoom", "*")) +
                 glob.glob(os.path.join(SOURCE, "samples", "*.*")))
        for extra in ([], ["--show-values"]):
            _, out, _ = run(["scan", "--format", "json", *extra, *paths])
            errors = sorted(validator.iter_errors(json.loads(out)), key=str)
            self.assertFalse(errors, "\n".join(str(e.message) for e in errors[:5]))
            _, out, _ = run(["scan", "--format", "jsonl", *extra, *paths])
            for line in out.splitlines():
                errors = list(validator.iter_errors(json.loads(line)))
                self.assertFalse(errors, errors[:1])

    def test_the_schema_rejects_a_broken_report(self):
        validator = schema_validator()
        _, out, _ = run(["scan", "--format", "json", data("meta.mp4")])
        doc = json.loads(out)
        doc["files"][0]["findings"][0]["severity"] = "catastrophic"
        self.assertTrue(list(validator.iter_errors(doc)))
        doc = json.loads(out)
        doc["files"][0]["status"] = "error"  # an error record that claims to be complete
        self.assertTrue(list(validator.iter_errors(doc)))


if __name__ == "__main__":
    main()

"""Golden tests: one per output mode, over the bundled samples (relative paths, no times).

Regenerate after an intended change with: WM_UPDATE_GOLDEN=1 (same command), then review the diff.
"""
import difflib
import glob
import os
import unittest

from common import SOURCE, main, run

GOLDEN_DIR = os.path.join(SOURCE, "tests", "golden")
# The metadata family only: its output is exact. The audio and video families involve floating
# point whose last digits may move between builds; their own tests check them with tolerances.
MODES = {
    "samples.txt": ["--format", "text", "--color", "never"],
    "samples.json": ["--format", "json"],
    "samples.jsonl": ["--format", "jsonl"],
    "samples.csv": ["--format", "csv"],
    "samples.sarif": ["--format", "sarif"],
    "samples.html": ["--format", "html"],
    "samples-show-values.txt": ["--format", "text", "--color", "never", "--show-values"],
}


def sample_paths():
    paths = sorted(glob.glob("samples/*.*", root_dir=SOURCE)) + sorted(glob.glob("samples/zoom-export/*.m4a", root_dir=SOURCE))
    return [p for p in paths if not p.endswith((".md", ".sh", ".txt", ".vtt"))]


class GoldenTest(unittest.TestCase):
    def test_every_output_mode_matches_its_golden_file(self):
        paths = sample_paths()
        self.assertGreaterEqual(len(paths), 5, "samples/ is missing its media")
        for golden, args in MODES.items():
            with self.subTest(golden=golden):
                code, out, err = run(["scan", "--detectors", "meta", *args, *paths], cwd=SOURCE)
                self.assertIn(code, (0, 1), err)
                golden_path = os.path.join(GOLDEN_DIR, golden)
                if os.environ.get("WM_UPDATE_GOLDEN"):
                    os.makedirs(GOLDEN_DIR, exist_ok=True)
                    with open(golden_path, "w", newline="") as f:
                        f.write(out)
                with open(golden_path, newline="") as f:
                    expected = f.read()
                if out != expected:
                    diff = "".join(difflib.unified_diff(expected.splitlines(True), out.splitlines(True),
                                                        "golden/" + golden, "actual", n=2))
                    self.fail(diff[:6000])
                self.assertNotIn(SOURCE, out, "golden output must not carry absolute paths")


if __name__ == "__main__":
    main()

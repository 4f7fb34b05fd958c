#!/usr/bin/env python3
"""The C API from Python via ctypes (examples/python/wmscan_ctypes.py), standard library only.

Environment (set by ctest): WM_LIBRARY = the libwm.so under test, WM_SOURCE_DIR, WM_TEST_DATA_DIR.

Sanitized builds: a libwm.so built with -fsanitize=address/undefined/thread needs its
sanitizer runtime loaded first in the process, which a plain python3 does not do ("ASan
runtime does not come first in initial library list"). Rather than test a different, plain
build of the library (the consumer test's), this test re-executes itself once with the very
runtimes libwm.so was linked against in LD_PRELOAD, so the C API is exercised under the same
sanitizers as the rest of the suite. Leak checking is off in that child: CPython keeps its
interned objects to the end and LeakSanitizer would blame them; leaks of the library itself
are covered by the C++ tests.
"""

import array
import json
import math
import os
import re
import subprocess
import sys
import threading
import unittest

SOURCE_DIR = os.environ.get("WM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA_DIR = os.environ.get("WM_TEST_DATA_DIR", "")
sys.path.insert(0, os.path.join(SOURCE_DIR, "examples", "python"))


def sanitizer_runtimes(library):
    """Paths of the sanitizer runtimes `library` needs (from ldd), in link order."""
    try:
        out = subprocess.run(["ldd", library], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    found = []
    for line in out.splitlines():
        m = re.match(r"\s*(lib(?:asan|ubsan|tsan)\.so[.\d]*)\s+=>\s+(\S+)", line)
        if m:
            found.append(m.group(2))
    return found


def reexec_with_sanitizer_runtime():
    library = os.environ.get("WM_LIBRARY")
    if not library or os.environ.get("WM_CTYPES_REEXEC") == "1":
        return
    runtimes = sanitizer_runtimes(library)
    if not runtimes:
        return
    env = dict(os.environ)
    env["WM_CTYPES_REEXEC"] = "1"
    env["LD_PRELOAD"] = ":".join(runtimes + ([env["LD_PRELOAD"]] if env.get("LD_PRELOAD") else []))
    env["ASAN_OPTIONS"] = "detect_leaks=0:" + env.get("ASAN_OPTIONS", "")
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


reexec_with_sanitizer_runtime()

import wmscan_ctypes as wm  # noqa: E402  (after the re-exec decision)

INTERVIEW = os.path.join(SOURCE_DIR, "samples", "interview.mp4")


class CtypesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lib = wm.Library()

    def test_version(self):
        self.assertRegex(self.lib.version(), r"^\d+\.\d+\.\d+")

    def test_scan_file_with_progress(self):
        calls = []
        report = self.lib.scan_file(INTERVIEW, {"inspect_neighbours": False},
                                    on_progress=lambda f, s: calls.append((f, s)))
        self.assertTrue(report["complete"])
        self.assertEqual(report["status"], "scanned")
        detectors = {f["detector"] for f in report["findings"]}
        self.assertIn("meta.email", detectors)
        self.assertIn("meta.gps", detectors)
        fractions = [f for f, _ in calls]
        self.assertEqual(fractions, sorted(fractions))
        self.assertEqual(calls[-1], (1.0, "done"))
        self.assertLessEqual(len(calls), 105)

    def test_values_are_redacted_unless_asked(self):
        hidden = json.dumps(self.lib.scan_file(INTERVIEW, {"detectors": ["meta"]}))
        shown = json.dumps(self.lib.scan_file(INTERVIEW, {"detectors": ["meta"], "show_values": True}))
        self.assertNotIn("jane.doe@example.com", hidden)
        self.assertIn("[redacted]", hidden)
        self.assertIn("jane.doe@example.com", shown)

    def test_errors_name_the_status_and_the_cause(self):
        with self.assertRaises(wm.WmError) as missing:
            self.lib.scan_file(os.path.join(SOURCE_DIR, "samples", "no-such-file.mp4"))
        self.assertEqual(missing.exception.status, "not_found")
        self.assertIn("no-such-file.mp4", str(missing.exception))
        with self.assertRaises(wm.WmError) as bad:
            self.lib.scan_file(INTERVIEW, {"detectorz": ["meta"]})
        self.assertEqual(bad.exception.status, "invalid_argument")
        self.assertIn("detectorz", str(bad.exception))
        with self.assertRaises(wm.WmError) as unknown:
            self.lib.scan_file(INTERVIEW, {"detectors": ["no-such-family"]})
        self.assertEqual(unknown.exception.status, "invalid_argument")

    def test_cancel_from_another_thread_gives_an_incomplete_report(self):
        # Handshake, so the cancel lands mid-scan on any machine: at the first media progress
        # the scanning thread waits until the other thread has raised the flag.
        cancel = threading.Event()
        in_media = threading.Event()
        raised = threading.Event()

        def canceller():
            in_media.wait(60)
            cancel.set()
            raised.set()

        def on_progress(fraction, stage):
            if stage == "media" and not in_media.is_set():
                in_media.set()
                raised.wait(60)

        other = threading.Thread(target=canceller)
        other.start()
        try:
            report = self.lib.scan_file(INTERVIEW, {"inspect_neighbours": False}, on_progress=on_progress,
                                        is_cancelled=cancel.is_set)
        finally:
            in_media.set()
            other.join()
        self.assertTrue(cancel.is_set())
        self.assertFalse(report["complete"])
        self.assertEqual(report["status"], "partial")
        self.assertTrue(any("cancelled" in e for e in report["errors"]), report["errors"])

    def test_an_exception_in_a_callback_cancels_and_is_raised_again(self):
        def boom(fraction, stage):
            raise RuntimeError("from the progress callback")

        with self.assertRaisesRegex(RuntimeError, "from the progress callback"):
            self.lib.scan_file(INTERVIEW, on_progress=boom)

    def test_session_push_mode(self):
        rate = 48000
        tone = array.array("f", (0.1 * math.sin(2 * math.pi * 1000 * i / rate) for i in range(rate // 2)))
        frame = bytes(64 * 48)  # one gray 64x48 frame
        with self.lib.session(name="live capture", sample_rate_hz=rate, channels=1, width=64, height=48,
                              options={"detectors": ["meta"], "show_values": True}) as session:
            session.feed_audio(tone, pts_s=0.0)
            session.feed_audio(tone, pts_s=0.5)
            session.feed_video(frame, 64, 48, 64, wm.PIXEL_GRAY8, pts_s=0.0)
            session.add_metadata("artist", "Jane Doe")
            session.add_metadata("comment", "mail jane.doe@example.com")
            report = session.finish()
            with self.assertRaises(wm.WmError) as twice:
                session.finish()
            self.assertEqual(twice.exception.status, "invalid_argument")
        self.assertEqual(report["path"], "live capture")
        self.assertIn("jane.doe@example.com", json.dumps(report))
        kinds = sorted(s["kind"] for s in report["streams"])
        self.assertEqual(kinds, ["audio", "video"])
        self.assertTrue(report["findings"])

    def test_session_rejects_a_bad_view(self):
        with self.lib.session(name="s", sample_rate_hz=48000, channels=2) as session:
            with self.assertRaises(wm.WmError) as bad:
                session.feed_audio(array.array("f", [0.0] * 10), pts_s=float("nan"))
            self.assertEqual(bad.exception.status, "invalid_argument")

    def test_parallel_scans_from_python_threads(self):
        results = [None] * 4

        def work(i):
            results[i] = self.lib.scan_file(INTERVIEW, {"detectors": ["meta"]})

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertTrue(all(r == results[0] for r in results))

    def test_example_script_runs(self):
        out = subprocess.run([sys.executable, os.path.join(SOURCE_DIR, "examples", "python", "wmscan_ctypes.py"),
                              "--detectors", "meta", "--session-demo", INTERVIEW],
                             capture_output=True, text=True, env=os.environ, timeout=600)
        self.assertEqual(out.returncode, 1, out.stderr)  # 1: findings, like wmscan
        self.assertIn("live capture", out.stdout)
        self.assertIn("meta.email", out.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)

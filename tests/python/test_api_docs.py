#!/usr/bin/env python3
"""Every example in docs/api.md compiles and links against this build's libwm, and the ones
that need no input run.

Environment (set by ctest): WM_SOURCE_DIR, WM_LIBRARY (libwm.so), WM_INCLUDE_DIRS (':'
separated), WM_SANITIZE (the build's -fsanitize list, empty for a plain build: a sanitized
libwm.so needs a host built with the same sanitizers to run).

Code blocks: ```cpp and ```c blocks are whole programs (compiled with -Wall -Wextra -Werror);
```python blocks are syntax-checked (they need a recording and the library path to run, which
test_ctypes.py covers); ```cmake and ```sh blocks are recipes, checked by tests/consumer/.
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = os.environ.get("WM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DOC = os.path.join(SOURCE_DIR, "docs", "api.md")


def blocks(language):
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"^```" + re.escape(language) + r"\n(.*?)^```\n", text, flags=re.S | re.M)


def program_name(code, fallback):
    m = re.match(r"\s*(?://|/\*|#)\s*([\w.-]+)\.(?:cpp|c|py):", code)
    return m.group(1) if m else fallback


class ApiDocsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.library = os.environ.get("WM_LIBRARY", "")
        cls.includes = [d for d in os.environ.get("WM_INCLUDE_DIRS", "").split(":") if d]
        sanitize = os.environ.get("WM_SANITIZE", "").strip()
        cls.flags = ["-fsanitize=" + sanitize, "-fno-omit-frame-pointer"] if sanitize else []
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def build(self, code, name, compiler, extra):
        if not self.library or not os.path.exists(self.library):
            self.skipTest("WM_LIBRARY is not set")
        suffix = ".c" if compiler == "cc" else ".cpp"
        source = os.path.join(self.tmp.name, name + suffix)
        with open(source, "w", encoding="utf-8") as f:
            f.write(code)
        exe = os.path.join(self.tmp.name, name)
        lib_dir = os.path.dirname(os.path.abspath(self.library))
        command = ([compiler] + extra + ["-Wall", "-Wextra", "-Werror"] + self.flags +
                   ["-I" + d for d in self.includes] + [source, "-o", exe, self.library,
                                                         "-Wl,-rpath," + lib_dir, "-lm"])
        done = subprocess.run(command, capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, "\n" + " ".join(command) + "\n" + done.stderr)
        return exe

    def run_program(self, exe, args=()):
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = "detect_leaks=1:" + env.get("ASAN_OPTIONS", "")
        return subprocess.run([exe, *args], capture_output=True, text=True, env=env, cwd=self.tmp.name,
                              timeout=600)

    def test_cpp_examples_compile_and_link(self):
        programs = blocks("cpp")
        self.assertGreaterEqual(len(programs), 4)
        for i, code in enumerate(programs):
            with self.subTest(program=program_name(code, f"cpp{i}")):
                self.build(code, program_name(code, f"cpp{i}"), "c++", ["-std=c++20"])

    def test_c_example_compiles_and_scans(self):
        programs = blocks("c")
        self.assertEqual(len(programs), 1)
        exe = self.build(programs[0], "scan_c", "cc", ["-std=c11"])
        done = self.run_program(exe, [os.path.join(SOURCE_DIR, "samples", "interview.mp4")])
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        self.assertEqual(len(lines), 2, done.stdout)
        self.assertIn('"meta.email"', lines[0])
        self.assertIn('"live capture"', lines[1])

    def test_push_example_runs(self):
        code = next(c for c in blocks("cpp") if program_name(c, "") == "push")
        exe = self.build(code, "push", "c++", ["-std=c++20"])
        done = self.run_program(exe)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("jane.doe@example.com", done.stdout)

    def test_python_examples_are_valid_python(self):
        programs = blocks("python")
        self.assertGreaterEqual(len(programs), 1)
        for code in programs:
            compile(code, "docs/api.md", "exec")


if __name__ == "__main__":
    unittest.main(verbosity=2)

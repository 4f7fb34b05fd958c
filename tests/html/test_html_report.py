"""The HTML report in a real browser (Debian's headless `chromium`).

Makes a report with the real CLI over the fixtures plus a file whose metadata title and file
name carry markup, loads it in headless Chromium and checks what a reader would see: every
finding is in the DOM, the injected markup is text, no script ran, pictures are data: URIs.
Then takes a screenshot (set WM_HTML_SCREENSHOT=PATH to keep it for a look).

Environment: WMSCAN, WM_TEST_DATA_DIR (tests/fixtures/make_fixtures.sh), WM_SOURCE_DIR.
Exits 0 with "skipped: chromium not installed" when there is no chromium.
Python standard library only.
"""
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

WMSCAN = os.environ.get("WMSCAN", "wmscan")
TESTDATA = os.environ.get("WM_TEST_DATA_DIR", "")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

FIXTURES = ["meta.mp4", "meta.mp3", "meta.wav", "clean.mp4", os.path.join("bad", "random.mp4")]
EVIL_TITLE = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"
EVIL_NAME = "evil <i onmouseover=alert(3)> \"q'.mp3"  # no '/': it would be a directory
PERSONAL = "jane.doe@example.com"


def chromium(*args, timeout=180):
    """Runs headless Chromium with a throw-away profile and no network chatter."""
    profile = tempfile.mkdtemp(prefix="wm-chromium-")
    try:
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--user-data-dir=" + profile, *args]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class DomReader(html.parser.HTMLParser):
    """Collects what the loaded page holds: elements, attributes, text, title."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs dict)
        self.text = []
        self.title = ""
        self._in_title = False
        self._stack = []        # class lists of open elements, for text by section

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)

    def with_class(self, tag, cls):
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]


class HtmlReportInBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wm-html-")
        evil = os.path.join(cls.tmp, EVIL_NAME)
        subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", "sine=frequency=440:duration=1", "-metadata", "title=" + EVIL_TITLE, evil],
                       check=True)
        cls.inputs = FIXTURES + [evil]
        cls.report = os.path.join(cls.tmp, "report.html")
        cls.redacted = os.path.join(cls.tmp, "redacted.html")
        for out, extra in ((cls.report, ["--show-values"]), (cls.redacted, [])):
            proc = subprocess.run([WMSCAN, "scan", "--format", "html", *extra, "-o", out, *cls.inputs],
                                  cwd=TESTDATA, capture_output=True, timeout=600)
            # bad/random.mp4 cannot be scanned: exit 3, and the report must still be written.
            assert proc.returncode == 3, (proc.returncode, proc.stderr.decode("utf-8", "replace"))
        proc = subprocess.run([WMSCAN, "scan", "--format", "json", "-o", os.path.join(cls.tmp, "r.json"),
                               *cls.inputs], cwd=TESTDATA, capture_output=True, timeout=600)
        with open(os.path.join(cls.tmp, "r.json"), encoding="utf-8") as f:
            cls.json = json.load(f)
        code, cls.dom, err = chromium("--dump-dom", "file://" + cls.report)
        assert code == 0 and cls.dom, err
        cls.page = DomReader()
        cls.page.feed(cls.dom)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_no_script_ran_and_none_exists(self):
        self.assertNotIn("pwned", self.page.title)
        self.assertTrue(self.page.title.startswith("wmscan report"), self.page.title)
        self.assertNotIn("<script", self.dom.lower())
        self.assertEqual([t for t, _ in self.page.tags if t in ("script", "iframe", "object", "embed", "svg")], [])
        for tag, attrs in self.page.tags:
            for name in attrs:
                self.assertFalse(name.startswith("on"), (tag, attrs))
            if tag == "img":
                self.assertTrue(attrs.get("src", "").startswith("data:image/"), attrs)

    def test_injected_markup_is_text(self):
        text = "".join(self.page.text)
        self.assertIn(EVIL_TITLE, text)
        self.assertIn(EVIL_NAME, text)
        self.assertEqual([a for t, a in self.page.tags if t == "i"], [])

    def test_strict_content_security_policy(self):
        csp = [a.get("content") for t, a in self.page.tags
               if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
        self.assertEqual(csp, ["default-src 'none'; img-src data:; style-src 'unsafe-inline'"])

    def test_every_finding_and_file_is_in_the_dom(self):
        expected = sum(len(f["findings"]) for f in self.json["files"])
        self.assertGreater(expected, 0)
        self.assertEqual(len(self.page.with_class("article", "finding")), expected)
        self.assertEqual(len(self.page.with_class("section", "file")), len(self.inputs))
        text = "".join(self.page.text)
        for record in self.json["files"]:
            for finding in record["findings"]:
                self.assertIn(finding["detector"], text)
                self.assertIn(finding["summary"], text)
        for verdict in ("Marks found", "Could not check"):
            self.assertIn(verdict, text)
        self.assertTrue("Clean" in text or "Nothing found" in text)
        self.assertIn("Invalid data found when processing input", text)
        self.assertIn("Files, most serious first", text)

    def test_values_redacted_unless_asked(self):
        with open(self.report, encoding="utf-8") as f:
            self.assertIn(PERSONAL, f.read())
        with open(self.redacted, encoding="utf-8") as f:
            page = f.read()
        self.assertNotIn(PERSONAL, page)
        self.assertNotIn("document.title=", page)  # the title is personal free text: redacted too
        self.assertIn("[redacted]", page)

    def test_screenshot(self):
        png = os.path.join(self.tmp, "report.png")
        code, _, err = chromium("--screenshot=" + png, "--window-size=1280,2000", "file://" + self.report)
        self.assertEqual(code, 0, err)
        with open(png, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", data[16:24])
        self.assertEqual((width, height), (1280, 2000))
        self.assertGreater(len(data), 50_000, "a blank page compresses to a few kB")
        keep = os.environ.get("WM_HTML_SCREENSHOT")
        if keep:
            shutil.copyfile(png, keep)
            print("screenshot:", keep, file=sys.stderr)


if __name__ == "__main__":
    if not CHROMIUM:
        print("skipped: chromium not installed")
        sys.exit(0)
    unittest.main(verbosity=2)

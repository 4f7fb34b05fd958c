"""libwm from Python through its C API (wm/wm.h), with nothing but the standard library.

    import wmscan_ctypes as wm
    lib = wm.Library()                       # $WM_LIBRARY, else the installed libwm.so
    report = lib.scan_file("talk.mp4", on_progress=print)
    for f in report["findings"]:
        print(f["severity"], f["detector"], f["summary"])

    with lib.session(name="live", sample_rate_hz=48000, channels=1) as s:   # push mode
        s.feed_audio(samples, pts_s=0.0)       # array('f'), interleaved, frames * channels
        s.add_metadata("artist", "Jane Doe")
        report = s.finish()

A report is the JSON object of one file (docs/report.schema.json, one entry of "files"),
decoded into dicts. Failures raise WmError with the library's status name and message.

Callbacks: on_progress(fraction, stage) and is_cancelled() run on the thread that called
scan_file (ctypes releases the GIL during the scan and takes it back for each callback), so
another Python thread can decide to cancel: set a threading.Event there and return
event.is_set() from is_cancelled. An exception raised inside a callback cannot cross the C
library; it is kept, the scan is cancelled, and the exception is raised again when
scan_file returns.

Run as a script: python3 wmscan_ctypes.py FILE... (scan and print findings), or
python3 wmscan_ctypes.py --session-demo (push a synthetic tone and some metadata).
"""

import ctypes
import ctypes.util
import json
import os
import sys

__all__ = ["Library", "Session", "WmError", "PIXEL_GRAY8", "PIXEL_BGR24", "PIXEL_RGB24"]

PIXEL_GRAY8, PIXEL_BGR24, PIXEL_RGB24 = 0, 1, 2

_PROGRESS_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_double, ctypes.c_char_p)
_CANCEL_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)


class _Hooks(ctypes.Structure):
    _fields_ = [("on_progress", _PROGRESS_FN), ("is_cancelled", _CANCEL_FN), ("user", ctypes.c_void_p)]


class _StreamInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("has_audio", ctypes.c_int), ("sample_rate_hz", ctypes.c_int),
                ("channels", ctypes.c_int), ("has_video", ctypes.c_int), ("width", ctypes.c_int),
                ("height", ctypes.c_int)]


class WmError(Exception):
    """A failed libwm call: `status` is the status name ("not_found"), `args[0]` the message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def _find_library():
    path = os.environ.get("WM_LIBRARY")
    if path:
        return path
    found = ctypes.util.find_library("wm")
    if found:
        return found
    raise OSError("libwm not found: set WM_LIBRARY to the path of libwm.so")


def _options_json(options):
    if options is None:
        return None
    return json.dumps(options).encode()


class Library:
    """One loaded libwm. Thread-safe like the C API: many threads may scan at once."""

    def __init__(self, path=None):
        lib = ctypes.CDLL(path or _find_library())
        c_char_pp = ctypes.POINTER(ctypes.c_void_p)  # out strings stay raw so they can be freed
        lib.wm_version_string.restype = ctypes.c_char_p
        lib.wm_version_string.argtypes = []
        lib.wm_status_name.restype = ctypes.c_char_p
        lib.wm_status_name.argtypes = [ctypes.c_int]
        lib.wm_last_error.restype = ctypes.c_char_p
        lib.wm_last_error.argtypes = []
        lib.wm_string_free.restype = None
        lib.wm_string_free.argtypes = [ctypes.c_void_p]
        lib.wm_scan_file.restype = ctypes.c_int
        lib.wm_scan_file.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_Hooks), c_char_pp]
        lib.wm_session_create.restype = ctypes.c_int
        lib.wm_session_create.argtypes = [ctypes.POINTER(_StreamInfo), ctypes.c_char_p,
                                          ctypes.POINTER(ctypes.c_void_p)]
        lib.wm_session_feed_audio.restype = ctypes.c_int
        lib.wm_session_feed_audio.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                                              ctypes.c_double]
        lib.wm_session_feed_video.restype = ctypes.c_int
        lib.wm_session_feed_video.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                              ctypes.c_int, ctypes.c_int, ctypes.c_double]
        lib.wm_session_add_metadata.restype = ctypes.c_int
        lib.wm_session_add_metadata.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.wm_session_finish.restype = ctypes.c_int
        lib.wm_session_finish.argtypes = [ctypes.c_void_p, c_char_pp]
        lib.wm_session_destroy.restype = None
        lib.wm_session_destroy.argtypes = [ctypes.c_void_p]
        self._lib = lib

    def version(self):
        return self._lib.wm_version_string().decode()

    def _check(self, status):
        # wm_last_error is per thread and valid until the next wm_* call on this thread.
        if status != 0:
            message = self._lib.wm_last_error().decode("utf-8", "replace")
            raise WmError(self._lib.wm_status_name(status).decode(), message)

    def _take_json(self, raw):
        try:
            return json.loads(ctypes.string_at(raw.value).decode("utf-8"))
        finally:
            self._lib.wm_string_free(raw)

    def scan_file(self, path, options=None, on_progress=None, is_cancelled=None):
        """Scans `path`; returns the report dict. `options`: the dict of wm.h's options JSON
        ({"detectors": ["meta"], "show_values": True, ...})."""
        raised = []  # the first exception of a callback, raised again after the scan

        def progress(_user, fraction, stage):
            if raised or on_progress is None:
                return
            try:
                on_progress(fraction, stage.decode())
            except BaseException as e:  # noqa: B036 - must not unwind into C
                raised.append(e)

        def cancelled(_user):
            if raised:
                return 1
            try:
                return 1 if is_cancelled is not None and is_cancelled() else 0
            except BaseException as e:  # noqa: B036
                raised.append(e)
                return 1

        # The CFUNCTYPE objects must outlive the call: they are locals until it returns.
        progress_fn = _PROGRESS_FN(progress)
        cancel_fn = _CANCEL_FN(cancelled)
        hooks = _Hooks(progress_fn, cancel_fn, None)
        out = ctypes.c_void_p()
        status = self._lib.wm_scan_file(os.fsencode(path), _options_json(options), ctypes.byref(hooks),
                                        ctypes.byref(out))
        if raised:
            if out.value:
                self._lib.wm_string_free(out)
            raise raised[0]
        self._check(status)
        return self._take_json(out)

    def session(self, name="stream", sample_rate_hz=0, channels=0, width=0, height=0, options=None):
        """Push mode: a Session for audio (sample_rate_hz, channels) and/or video (width,
        height) that the caller decodes itself."""
        return Session(self, name, sample_rate_hz, channels, width, height, options)


class Session:
    """One push-mode session; use it from one thread at a time. A context manager."""

    def __init__(self, library, name, sample_rate_hz, channels, width, height, options):
        self._wm = library
        self._channels = channels
        info = _StreamInfo(name.encode(), 1 if sample_rate_hz else 0, sample_rate_hz, channels,
                           1 if width else 0, width, height)
        handle = ctypes.c_void_p()
        library._check(library._lib.wm_session_create(ctypes.byref(info), _options_json(options),
                                                      ctypes.byref(handle)))
        self._handle = handle

    def feed_audio(self, samples, pts_s=0.0):
        """`samples`: array('f') (or any buffer of float32) of interleaved frames * channels."""
        view = memoryview(samples).cast("B").cast("f")
        frames = len(view) // max(self._channels, 1)
        buf = (ctypes.c_float * len(view)).from_buffer_copy(view) if len(view) else None
        self._wm._check(self._wm._lib.wm_session_feed_audio(self._handle, buf, frames, self._channels, pts_s))

    def feed_video(self, pixels, width, height, stride_bytes, pixel_format=PIXEL_GRAY8, pts_s=0.0):
        """`pixels`: bytes-like, `height` rows `stride_bytes` apart."""
        buf = (ctypes.c_uint8 * len(pixels)).from_buffer_copy(pixels)
        self._wm._check(self._wm._lib.wm_session_feed_video(self._handle, buf, width, height, stride_bytes,
                                                            pixel_format, pts_s))

    def add_metadata(self, key, value):
        self._wm._check(self._wm._lib.wm_session_add_metadata(self._handle, key.encode(), value.encode()))

    def finish(self):
        out = ctypes.c_void_p()
        self._wm._check(self._wm._lib.wm_session_finish(self._handle, ctypes.byref(out)))
        return self._wm._take_json(out)

    def close(self):
        if self._handle:
            self._wm._lib.wm_session_destroy(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


def _print_report(report, out=sys.stdout):
    state = "complete" if report["complete"] else "INCOMPLETE (" + "; ".join(report.get("errors", [])) + ")"
    print(f"{report['path']}: {report['status']}, {len(report['findings'])} finding(s), {state}", file=out)
    for f in report["findings"]:
        print(f"  {f['severity']:<7} {f['detector']:<26} {f['summary']}", file=out)
    for n in report.get("not_checked", []):
        print(f"  not checked  {n['detector']}: {n['reason']}", file=out)


def _session_demo(lib):
    import array
    import math
    rate = 48000
    tone = array.array("f", (0.2 * math.sin(2 * math.pi * 440 * i / rate) for i in range(rate)))
    with lib.session(name="live capture", sample_rate_hz=rate, channels=1) as session:
        for second in range(3):
            session.feed_audio(tone, pts_s=float(second))
        session.add_metadata("artist", "Jane Doe")
        session.add_metadata("comment", "recorded by jane.doe@example.com")
        return session.finish()


def main(argv):
    import argparse
    import threading
    parser = argparse.ArgumentParser(description="Scan recordings with libwm through its C API.")
    parser.add_argument("files", nargs="*")
    parser.add_argument("--library", help="path of libwm.so (default: $WM_LIBRARY, then the system)")
    parser.add_argument("--detectors", help="comma-separated families, e.g. meta,audio")
    parser.add_argument("--show-values", action="store_true", help="print personal values")
    parser.add_argument("--cancel-after", type=float, metavar="FRACTION",
                        help="cancel each scan from another thread once progress passes FRACTION")
    parser.add_argument("--session-demo", action="store_true", help="push a tone and metadata (push mode)")
    args = parser.parse_args(argv)
    lib = Library(args.library)
    print(f"libwm {lib.version()}", file=sys.stderr)
    if args.session_demo:
        _print_report(_session_demo(lib))
    options = {"show_values": args.show_values}
    if args.detectors:
        options["detectors"] = args.detectors.split(",")
    worst = 0
    for path in args.files:
        cancel = threading.Event()
        reached = threading.Event()

        def on_progress(fraction, stage):
            print(f"\r{fraction * 100:5.1f}% {stage:<10}", end="", file=sys.stderr, flush=True)
            if args.cancel_after is not None and fraction >= args.cancel_after:
                reached.set()

        if args.cancel_after is not None:  # the canceller: another thread, as a GUI would be
            threading.Thread(target=lambda: reached.wait() and cancel.set(), daemon=True).start()
        try:
            report = lib.scan_file(path, options, on_progress=on_progress, is_cancelled=cancel.is_set)
        except WmError as e:
            print(f"\n{path}: {e.status}: {e}", file=sys.stderr)
            worst = max(worst, 3)
            continue
        finally:
            reached.set()
        print(file=sys.stderr)
        _print_report(report)
        worst = max(worst, 1 if report["findings"] else 0, 0 if report["complete"] else 3)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Shared helpers for the CLI tests: run wmscan, hash files, load the report schema."""
import hashlib
import json
import os
import subprocess
import unittest

WMSCAN = os.environ.get("WMSCAN", "wmscan")
TESTDATA = os.environ.get("WM_TEST_DATA_DIR", "")
SOURCE = os.environ.get("WM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def run(args, cwd=None, timeout=120):
    """Runs wmscan; returns (exit code, stdout, stderr)."""
    proc = subprocess.run([WMSCAN] + list(args), cwd=cwd, capture_output=True, timeout=timeout)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def scan_json(paths, extra=(), cwd=None):
    code, out, err = run(["scan", "--format", "json", *extra, *paths], cwd=cwd)
    return code, json.loads(out), err


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def data(*parts):
    return os.path.join(TESTDATA, *parts)


def detectors_of(record):
    return {f["detector"] for f in record["findings"]}


def all_values(record):
    """Every evidence value of every finding, as strings."""
    out = []
    for f in record["findings"]:
        for v in f["evidence"].values():
            out.append(str(v))
    return out


def schema_validator():
    import jsonschema  # Debian: python3-jsonschema
    with open(os.path.join(SOURCE, "docs", "report.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def main():
    unittest.main(verbosity=2)

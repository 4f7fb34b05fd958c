"""The Kubernetes Indexed Job of docs/cluster.md, without a cluster.

No Kubernetes runs here. What can be checked without one:
- the manifest in docs/cluster.md parses and asks for what the scan relies on (an Indexed Job
  whose `completions` equals the script's `--shards`, pods that are not restarted in place, a
  per-index retry budget);
- the pod's script, taken from that manifest, run once per completion index with
  JOB_COMPLETION_INDEX set as Kubernetes sets it and the /shared paths pointed at a temporary
  directory, writes one shard per index, and the shards hold exactly the records of one
  unsharded scan;
- a pod that runs again (a retry of its index) resumes from the cache and writes the same shard.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml  # Debian: python3-yaml

from common import SOURCE, WMSCAN, main, run
from test_batch import make_archive

SHARED_WMSCAN = "/shared/libwm/build/tools/wmscan/wmscan"
SHARED_INSTALL = "/shared/libwm/scripts/install-deps.sh"


def manifest():
    """The ```yaml block of the 'Kubernetes Indexed Job' section of docs/cluster.md."""
    with open(os.path.join(SOURCE, "docs", "cluster.md")) as f:
        text = f.read()
    section = text.split("## Kubernetes Indexed Job", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    if block is None:
        raise AssertionError("docs/cluster.md: no ```yaml block under 'Kubernetes Indexed Job'")
    return yaml.safe_load(block.group(1))


def records_by_path(lines):
    out = {}
    for line in lines:
        if line.strip():
            record = json.loads(line)
            out[record["path"]] = json.dumps(record, sort_keys=True)
    return out


class IndexedJobTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.archive = make_archive(os.path.join(self.tmp, "archive"), 12)
        self.out = os.path.join(self.tmp, "wmscan-out")
        self.job = manifest()
        self.pod = self.job["spec"]["template"]["spec"]
        self.container = self.pod["containers"][0]
        self.completions = self.job["spec"]["completions"]

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def pod_script(self):
        """The container's script with the shared volume's paths moved into the temporary directory."""
        self.assertEqual(self.container["command"], ["bash", "-c"])
        script = self.container["args"][0]
        install_stub = os.path.join(self.tmp, "install-deps.sh")
        with open(install_stub, "w") as f:
            f.write("exit 0\n")  # the packages are installed on this machine already
        for shared, local in ((SHARED_WMSCAN, WMSCAN), (SHARED_INSTALL, install_stub),
                              ("/shared/wmscan-out", self.out), ("/shared/archive", self.archive)):
            self.assertIn(shared, script)
            script = script.replace(shared, local)
        self.assertNotIn("/shared", script)
        return script

    def cache_entries(self):
        """Every cache file with its modification time: a cache hit reads an entry, a rescan writes it."""
        cache = os.path.join(self.out, "cache")
        return {os.path.relpath(os.path.join(d, f), cache): os.stat(os.path.join(d, f)).st_mtime_ns
                for d, _, files in os.walk(cache) for f in files}

    def run_pod(self, index):
        env = dict(os.environ, JOB_COMPLETION_INDEX=str(index))
        return subprocess.run(["bash", "-c", self.pod_script()], env=env, capture_output=True, text=True, timeout=600)

    def test_manifest_asks_for_what_the_scan_relies_on(self):
        self.assertEqual(self.job["apiVersion"], "batch/v1")
        self.assertEqual(self.job["kind"], "Job")
        spec = self.job["spec"]
        self.assertEqual(spec["completionMode"], "Indexed")
        self.assertGreaterEqual(self.completions, 1)
        # A retry must be a new pod that finds the cache (restartPolicy Never is also what
        # backoffLimitPerIndex requires).
        self.assertEqual(self.pod["restartPolicy"], "Never")
        self.assertGreaterEqual(spec["backoffLimitPerIndex"], 1)
        shards = re.search(r"--shards (\d+)", self.container["args"][0])
        self.assertIsNotNone(shards, "the pod's wmscan call has no --shards")
        self.assertEqual(int(shards.group(1)), self.completions, "--shards must equal completions")
        mounts = {m["mountPath"] for m in self.container["volumeMounts"]}
        self.assertIn("/shared", mounts)

    def test_every_index_writes_its_shard_and_the_shards_make_one_scan(self):
        for index in range(self.completions):
            pod = self.run_pod(index)
            self.assertEqual(pod.returncode, 0, f"index {index}: {pod.stderr}")
        shards = sorted(os.listdir(self.out))
        self.assertEqual(shards, ["cache"] + [f"shard-{i}.jsonl" for i in range(self.completions)])
        merged = []
        for i in range(self.completions):
            with open(os.path.join(self.out, f"shard-{i}.jsonl")) as f:
                lines = f.read().splitlines()
            self.assertTrue(lines, f"shard {i} is empty")
            merged += lines
        code, whole, err = run(["scan", "-r", "-j", "2", "--format", "jsonl", self.archive], timeout=600)
        self.assertIn(code, (0, 1), err)
        self.assertEqual(len(merged), len(records_by_path(merged)), "a file was scanned by two indices")
        self.assertEqual(records_by_path(merged), records_by_path(whole.splitlines()))

    def test_a_retried_index_resumes_and_writes_the_same_shard(self):
        first = self.run_pod(1)
        self.assertEqual(first.returncode, 0, first.stderr)
        shard = os.path.join(self.out, "shard-1.jsonl")
        with open(shard) as f:
            before = f.read()
        cached = self.cache_entries()
        self.assertTrue(cached, "the pod's scan wrote no cache, so a retry cannot resume")
        again = self.run_pod(1)
        self.assertEqual(again.returncode, 0, again.stderr)
        with open(shard) as f:
            self.assertEqual(f.read(), before)
        self.assertEqual(self.cache_entries(), cached)
        self.assertFalse(os.path.exists(shard + ".tmp"))


if __name__ == "__main__":
    main()

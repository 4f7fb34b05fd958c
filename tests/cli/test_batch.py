"""Batch scanning: folders, order, -j, shards and merge, the resumable cache, limits."""
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from common import SOURCE, WMSCAN, data, main, run

META = ["--detectors", "meta"]
SOURCES = ["clean.mp4", "clean.wav", "meta.mp4", "meta.wav", "meta.mp3", "meta.mkv", "meta.m4a", "meta.mov"]


def make_archive(root, copies):
    """A small archive: nested folders of fixture copies plus non-media files."""
    for i in range(copies):
        sub = os.path.join(root, f"batch{i % 4}", f"day{i % 3}")
        os.makedirs(sub, exist_ok=True)
        src = SOURCES[i % len(SOURCES)]
        shutil.copy(data(src), os.path.join(sub, f"f{i:04d}_{src}"))
    with open(os.path.join(root, "notes.txt"), "w") as f:
        f.write("not media\n")
    return root


def jsonl(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


class FolderTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        make_archive(self.tmp, 24)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_recursive_walk_sorted_and_media_only(self):
        code, out, err = run(["scan", *META, "-r", "--format", "jsonl", self.tmp])
        self.assertEqual(code, 1, err)
        paths = [r["path"] for r in jsonl(out)]
        self.assertEqual(len(paths), 24)
        self.assertEqual(paths, sorted(paths))
        self.assertFalse(any(p.endswith("notes.txt") for p in paths))
        self.assertTrue(all(len(r["sha256"]) == 64 for r in jsonl(out)))
        code, out, _ = run(["scan", *META, "--format", "jsonl", self.tmp])  # no -r: nothing at the top
        self.assertEqual(code, 3)

    def test_include_exclude(self):
        _, out, _ = run(["scan", *META, "-r", "--format", "jsonl", "--include", "*.wav", self.tmp])
        self.assertTrue(all(r["path"].endswith(".wav") for r in jsonl(out)))
        _, out, _ = run(["scan", *META, "-r", "--format", "jsonl", "--exclude", "batch0/*", self.tmp])
        self.assertFalse(any("/batch0/" in r["path"] for r in jsonl(out)))

    def test_jobs_do_not_change_the_output(self):
        outs = [run(["scan", *META, "-r", "-j", j, "--format", "jsonl", self.tmp])[1] for j in ("1", "2", "4")]
        self.assertEqual(outs[0], outs[1])
        self.assertEqual(outs[0], outs[2])

    def test_symlink_loop_is_reported_not_fatal(self):
        os.symlink(self.tmp, os.path.join(self.tmp, "batch0", "loop"))
        code, out, err = run(["scan", *META, "-r", "--format", "jsonl", self.tmp])
        self.assertEqual(code, 3)
        self.assertIn("symlink loop", err)
        self.assertEqual(len(jsonl(out)), 24)

    def test_timeout_per_file_is_partial_not_clean(self):
        code, out, err = run(["scan", *META, "--timeout-per-file", "0.0000001", "--format", "jsonl", data("meta.mp4")])
        self.assertEqual(code, 3)
        rec = jsonl(out)[0]
        self.assertFalse(rec["complete"])
        self.assertIn("timed out", " ".join(rec["errors"]))


class ShardTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        make_archive(os.path.join(self.tmp, "archive"), 30)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_union_of_shards_equals_the_unsharded_run(self):
        archive = os.path.join(self.tmp, "archive")
        _, whole, _ = run(["scan", *META, "-r", "--format", "jsonl", archive])
        shard_files, counts = [], []
        for i in range(3):
            path = os.path.join(self.tmp, f"shard{i}.jsonl")
            run(["scan", *META, "-r", "--format", "jsonl", "--shard", f"{i}/3", "-o", path, archive])
            shard_files.append(path)
            with open(path) as f:
                counts.append(len(jsonl(f.read())))
        self.assertEqual(sum(counts), 30)
        self.assertTrue(all(c > 0 for c in counts), counts)
        _, merged, _ = run(["merge", "--format", "jsonl", *shard_files])
        self.assertEqual(merged, whole)
        # merge renders any format, e.g. the text summary
        code, text, _ = run(["merge", "--format", "text", *shard_files])
        self.assertEqual(code, 1)
        self.assertIn("30 files", text)

    def test_slurm_and_kubernetes_variables_pick_the_same_shard(self):
        archive = os.path.join(self.tmp, "archive")
        _, by_flag, _ = run(["scan", *META, "-r", "--format", "jsonl", "--shard", "1/3", archive])
        env = dict(os.environ, SLURM_ARRAY_TASK_ID="11", SLURM_ARRAY_TASK_MIN="10", SLURM_ARRAY_TASK_COUNT="3")
        slurm = subprocess.run([WMSCAN, "scan", *META, "-r", "--format", "jsonl", archive], env=env,
                               capture_output=True, text=True).stdout
        env = dict(os.environ, JOB_COMPLETION_INDEX="1")
        k8s = subprocess.run([WMSCAN, "scan", *META, "-r", "--format", "jsonl", "--shards", "3", archive], env=env,
                             capture_output=True, text=True).stdout
        self.assertEqual(slurm, by_flag)
        self.assertEqual(k8s, by_flag)
        self.assertEqual(run(["scan", "--shard", "3/3", archive])[0], 2)

    def test_merge_rejects_garbage_with_a_line_number(self):
        bad = os.path.join(self.tmp, "bad.jsonl")
        with open(bad, "w") as f:
            f.write("{not json\n")
        code, _, err = run(["merge", bad])
        self.assertEqual(code, 2)
        self.assertIn("bad.jsonl:1", err)


class CacheTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.archive = make_archive(os.path.join(self.tmp, "archive"), 120)
        self.cache = os.path.join(self.tmp, "cache")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def entries(self):
        return [p for p in glob.glob(os.path.join(self.cache, "v1", "*", "*.json"))]

    def test_sigkill_then_rerun_loses_nothing_and_rescans_nothing(self):
        args = ["scan", *META, "-r", "-j", "2", "--format", "jsonl", "--show-values", self.archive]
        _, reference, _ = run(args)
        proc = subprocess.Popen([WMSCAN, *args, "--cache", self.cache], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while len(self.entries()) < 30 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        finished = len(self.entries())
        self.assertGreater(finished, 0)
        code, out, err = run([*args, "--cache", self.cache, "--progress", "always"])
        self.assertEqual(out, reference, "a resumed run must give the uninterrupted run's output")
        last = [l for l in err.replace("\r", "\n").splitlines() if "cached" in l][-1]
        cached = int(last.split("cached")[1].split()[0])
        self.assertGreaterEqual(cached, finished, "every finished file must come from the cache")
        self.assertEqual(len(self.entries()), 120)
        # A third run is served entirely from the cache.
        _, out, err = run([*args, "--cache", self.cache, "--progress", "always"])
        self.assertEqual(out, reference)
        last = [l for l in err.replace("\r", "\n").splitlines() if "cached" in l][-1]
        self.assertEqual(int(last.split("cached")[1].split()[0]), 120)

    def test_evidence_pictures_come_back_from_the_cache(self):
        sample = os.path.join(SOURCE, "samples", "screen-share.mp4")
        args = ["scan", "--detectors", "audio", "--fail-on", "none", "--format", "jsonl", "--cache", self.cache]
        _, first, _ = run([*args, sample])
        listed = [a for f in jsonl(first)[0]["findings"] for a in f["artifacts"]]
        self.assertTrue(listed and all(a["size_bytes"] > 0 for a in listed), first)
        store = os.path.join(self.tmp, "evidence")
        code, again, err = run([*args, "--progress", "always", "--artifacts", store, sample])
        self.assertIn("cached 1", err.replace("\r", "\n"))
        self.assertEqual([a["size_bytes"] for f in jsonl(again)[0]["findings"] for a in f["artifacts"]],
                         [a["size_bytes"] for a in listed])
        self.assertEqual(len(glob.glob(os.path.join(store, "*", "*.png"))), len(listed))

    def test_a_changed_file_is_rescanned(self):
        target = sorted(glob.glob(os.path.join(self.archive, "*", "*", "*meta.mp4")))[0]
        run(["scan", *META, "--cache", self.cache, "--format", "jsonl", target])
        shutil.copy(data("clean.mp4"), target)
        _, out, _ = run(["scan", *META, "--cache", self.cache, "--format", "jsonl", target])
        self.assertEqual(jsonl(out)[0]["findings"], [])

    def test_a_sidecar_added_later_is_news(self):
        folder = os.path.join(self.tmp, "meeting")
        os.makedirs(folder)
        target = os.path.join(folder, "recording.mp4")
        shutil.copy(data("clean.mp4"), target)
        args = ["scan", *META, "--cache", self.cache, "--format", "jsonl", "--progress", "always", target]
        _, out, _ = run(args)
        self.assertEqual(jsonl(out)[0]["findings"], [])
        with open(os.path.join(folder, "chat.txt"), "w") as f:
            f.write("14:01:02 From Jane Doe to Everyone: hello\n")
        _, out, err = run(args)
        self.assertIn("meta.sidecar_chat", [f["detector"] for f in jsonl(out)[0]["findings"]])
        _, again, err = run(args)
        self.assertIn("cached 1", err.replace("\r", "\n"), "an unchanged sidecar keeps the entry")
        self.assertEqual(again, out)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Labelled corpus for audio.unknown_mark (keyless periodic-mark indicator), and its evaluation.

  unknown_corpus.py make OUT_DIR [--seed N] [--seconds S]   generate files + OUT_DIR/labels.csv
  unknown_corpus.py eval OUT_DIR [--wmscan BIN] [--min-z Z] [--vectors]
        scan every file with `--param audio.unknown_mark=true --param audio.unknown_mark_min_z=0.01`
        (so the strongest repeat of every file is reported), then print detection and false-positive
        rates per condition at threshold Z (default: the detector's default, 8) and at a few others.
        --vectors adds the audiowmark reference vectors (150 s; the keyed one included: its key is
        "unknown" to this detector) as positives and the clean vectors as negatives.

Positives are made here with a scheme other than audiowmark: a patchwork on STFT magnitudes
(ffmpeg afftfilt, 1024-sample windows, 50 % overlap) whose pseudo-random up/down pattern
(one pattern per 1024-sample block, bins of one band) repeats with a period P. Depth 0.15-0.25
(magnitude x 1 +- depth, about +-1.2-2 dB), bands 0.6-3 / 1.5-5 / 3-7 kHz, periods of 320,
1000 and 2627 blocks (7.4 s, 23.2 s, 61 s at 44.1 kHz), and one period that is not a whole
number of blocks (10 s). Negatives: clean speech, music and speech under noise (from corpus.py's
generators), 44.1 and 48 kHz, pink noise, silence, full-scale clipping, reverb, a constant
tone, and a music loop (the same 20 s repeated: content that repeats is not a mark).
Standard library only; sox, espeak-ng and ffmpeg on PATH. Reproducible from --seed.
"""
import argparse
import csv
import json
import os
import random
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus  # noqa: E402  (helpers only: speech, music, noise_mix, sox, run, transcode, add_constant_tone)

SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_WMSCAN = os.path.join(SOURCE, "build-dev", "tools", "wmscan", "wmscan")
VECTORS = corpus.VECTORS
BANDS_HZ = [(600, 3000), (1500, 5000), (3000, 7000)]
PERIOD_BLOCKS = [320, 1000, 2627]


def patchwork(src, dst, rate, period_s, band_hz, depth, seed):
    """Magnitude patchwork: every bin of the band x (1 +- depth), sign from a hash of (bin, block)."""
    lo, hi = (int(f * 1024 / rate) for f in band_hz)
    g = (f"(1+{depth}*between(b,{lo},{hi})*(st(1,floor(mod(pts/sr,{period_s:.9f})*sr/1024));"
         f"st(0,sin(b*{12.9898 + seed}+ld(1)*78.233)*43758.5453);2*gt(ld(0)-floor(ld(0)),0.5)-1))")
    corpus.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", src, "-af",
                f"afftfilt=real='re*{g}':imag='im*{g}':win_size=1024:overlap=0.5", dst])


def make(out_dir, seed, seconds):
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    rows = []

    def add(path, condition, positive):
        rows.append({"file": os.path.basename(path), "condition": condition, "mark": int(positive)})

    bases = []
    for rate in (44100, 48000):
        for kind, maker in (("speech", corpus.speech), ("music", corpus.music), ("noisemix", corpus.noise_mix)):
            p = os.path.join(out_dir, f"{kind}_{rate}.wav")
            maker(p, rate, seconds, rng)
            add(p, f"clean {kind}", False)
            bases.append((p, kind, rate))
    for p, kind, rate in bases:
        stem = os.path.splitext(p)[0]
        for i, blocks in enumerate(PERIOD_BLOCKS):
            band = rng.choice(BANDS_HZ)
            depth = rng.choice([0.15, 0.25])
            dst = f"{stem}_patch{blocks}.wav"
            patchwork(p, dst, rate, blocks * 1024 / 44100, band, depth, rng.randint(0, 999))
            add(dst, f"patchwork {'44.1k' if rate == 44100 else '48k(resampled grid)'} period {blocks} blocks", True)
            if i == 1 and rate == 44100:
                add(corpus.transcode(dst, "aac128", out_dir), "patchwork aac128", True)
        if rate == 44100:
            dst = f"{stem}_patch10s.wav"
            patchwork(p, dst, rate, 10.0, rng.choice(BANDS_HZ), 0.25, rng.randint(0, 999))
            add(dst, "patchwork period 10 s (not whole blocks)", True)
        dst = f"{stem}_reverb.wav"
        corpus.sox(p, dst, "reverb", rng.choice([30, 50, 80]), 50, rng.choice([50, 100]))
        add(dst, "reverb", False)
        dst = f"{stem}_consttone.wav"
        corpus.add_constant_tone(p, dst, rate, seconds, rng)
        add(dst, "constant tone", False)
        dst = f"{stem}_aac128.wav"
        add(corpus.transcode(p, "aac128", out_dir), "clean aac128", False)
        if kind == "music":
            dst = f"{stem}_clipped.wav"
            corpus.sox(p, dst, "gain", 18)  # sox clips at full scale
            add(dst, "full-scale clipping", False)
            dst = f"{stem}_loop.wav"
            seg = f"{stem}_seg.wav"
            corpus.sox(p, seg, "trim", 0, 20)
            corpus.sox(seg, dst, "repeat", int(seconds / 20))
            os.remove(seg)
            add(dst, "music loop (content repeats)", False)
    for rate in (44100, 48000):
        p = os.path.join(out_dir, f"pink_{rate}.wav")
        corpus.sox("-n", "-r", rate, "-c", 2, p, "synth", seconds, "pinknoise", "gain", -12)
        add(p, "pink noise (stereo)", False)
    p = os.path.join(out_dir, "silence_48000.wav")
    corpus.sox("-n", "-r", 48000, "-c", 2, p, "trim", 0, seconds)
    add(p, "silence", False)
    with open(os.path.join(out_dir, "labels.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "condition", "mark"])
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} files in {out_dir}")


def strongest(wmscan, files):
    """file name -> robust z of its strongest repeat (0 when not checked)."""
    cmd = [wmscan, "scan", "--format", "jsonl", "--show-values", "--no-hash", "--fail-on", "none", "--detectors",
           "audio", "--param", "audio.unknown_mark=true", "--param", "audio.unknown_mark_min_z=0.01", *files]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    result = {}
    for line in out.stdout.splitlines():
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if "path" not in r:
            continue
        z = 0.0
        period = None
        for f in r.get("findings", []):
            if f["detector"] == "audio.unknown_mark":
                z = f["evidence"]["robust_z"]
                period = f["evidence"]["period_s"]
        result[os.path.basename(r["path"])] = (z, period)
    return result


def evaluate(out_dir, wmscan, min_z, with_vectors):
    with open(os.path.join(out_dir, "labels.csv")) as f:
        rows = list(csv.DictReader(f))
    cases = [(os.path.join(out_dir, r["file"]), r["condition"], r["mark"] == "1") for r in rows]
    if with_vectors:
        for name in ("zero_150s.flac", "zero_150s_mp3-128k.mp3", "zero_150s_aac-128k.m4a", "zero_48k.flac",
                     "zero_s15.flac", "zero_s15_opus-64k.opus", "k1_150s.flac", "zero_clip60.flac"):
            cases.append((os.path.join(VECTORS, name), "audiowmark vector" + (" (keyed)" if "k1" in name else ""), True))
        for name in ("clean_150s.flac", "clean_150s_aac-128k.m4a"):
            cases.append((os.path.join(VECTORS, name), "audiowmark vector host (clean)", False))
    z = strongest(wmscan, [c[0] for c in cases])
    for path, condition, positive in cases:
        zz, period = z.get(os.path.basename(path), (0.0, None))
        print(f"{'POS' if positive else 'neg'} z={zz:6.2f} period={period if period is None else round(period, 2)!s:>7} "
              f"{os.path.basename(path):40} {condition}")
    for threshold in sorted({min_z, 6.0, 7.0, 8.0, 10.0}):
        stats = defaultdict(lambda: [0, 0])
        for path, condition, positive in cases:
            hit = z.get(os.path.basename(path), (0.0, None))[0] >= threshold
            s = stats[(positive, condition)]
            s[0] += hit
            s[1] += 1
        print(f"\nthreshold z >= {threshold}")
        for (positive, condition), (hits, n) in sorted(stats.items(), key=lambda kv: (not kv[0][0], kv[0][1])):
            print(f"  {'det' if positive else 'FP '} {condition:52} {hits:3d}/{n:<3d} {100.0 * hits / n:6.1f}%")
        ph = sum(v[0] for k, v in stats.items() if k[0])
        pn = sum(v[1] for k, v in stats.items() if k[0])
        nh = sum(v[0] for k, v in stats.items() if not k[0])
        nn = sum(v[1] for k, v in stats.items() if not k[0])
        print(f"  TOTAL detection {ph}/{pn}, false positives {nh}/{nn}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["make", "eval"])
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=20261201, help="20261201 = tuning split; 11 = held-out split")
    ap.add_argument("--seconds", type=int, default=150)
    ap.add_argument("--wmscan", default=os.environ.get("WMSCAN", DEFAULT_WMSCAN))
    ap.add_argument("--min-z", type=float, default=8.0)
    ap.add_argument("--vectors", action="store_true")
    a = ap.parse_args()
    if a.mode == "make":
        make(a.dir, a.seed, a.seconds)
    else:
        evaluate(a.dir, a.wmscan, a.min_z, a.vectors)


if __name__ == "__main__":
    main()

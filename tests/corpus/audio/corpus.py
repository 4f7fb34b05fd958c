#!/usr/bin/env python3
"""Labelled audio corpus for the audio detectors, and its evaluation through wmscan.

  corpus.py make OUT_DIR [--full] [--seed N]  generate files + OUT_DIR/labels.csv (sox, espeak-ng, ffmpeg)
  corpus.py eval OUT_DIR [--wmscan BIN] [--only S] [--errors]  run `wmscan scan --format jsonl --detectors audio` and
                                        print detection / false-positive rates per condition
  corpus.py codec-stress OUT_DIR [--seed N] [--reps R]  hard negatives at lossy codecs' low-pass edges
                                        (broadband bases through AAC/MP3/Opus) and beacons near those edges
  corpus.py reverb-stress OUT_DIR [--seed N] [--reps R]  hard negatives for echo hiding: every espeak
                                        voice, music and speech + noise through many rooms (sox reverb
                                        settings, fixed synthetic room responses, slap-back echoes)
  corpus.py vectors [--wmscan BIN]      payload exact-match on ../shared/vectors/audiowmark

audiowmark itself is not installed here, so the corpus holds no audiowmark marks: the
audiowmark detector is measured on the shared vectors (payloads) and on every corpus file
(false positives: it must report nothing). Small mode makes ~40 files of 20 s (< 2 min with
the scan); --full makes ~700 files of 40 s (about 7.5 hours of audio; a few minutes to make).
Standard library only. Every file is made from a fixed seed, so runs are reproducible.

labels.csv: file, condition, beacon, echo (1 = marked), echo_delay_ms for echo files, and for
beacon files level_dbfs (peak
sine), beacon_hz (f1 or f1/f2) and, for transcodes, tone_loss_db: how much weaker each beacon
tone comes out of the codec (ffmpeg decode, the same 120-Hz sox band-pass on the WAV it was made
from and on the transcode, worst tone), band = "kept" (loss <= 6 dB) or "cut". eval counts a
beacon as found only when a finding names a labelled frequency (±50 Hz), and splits beacon
detection by band kept / cut and level. Likewise an echo counts as found only when a finding's
delay_ms is within 0.05 ms of the labelled delay (corpora made before the column existed: the
delay is read from the file name, `..._echo<ms>_<decay>...`).
"""
import argparse
import array
import csv
import json
import os
import random
import re
import subprocess
import sys
import wave
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_WMSCAN = os.path.join(SOURCE, "..", "build-audio-rel", "tools", "wmscan", "wmscan")
VECTORS = os.path.join(SOURCE, "..", "shared", "vectors", "audiowmark")
VECTOR_PAYLOAD = "8a1f0e2c3b4d5e6f708192a3b4c5d6e7"
KEYED_PAYLOAD = "c0ffee00deadbeef0123456789abcdef"

TEXTS = [
    "The quick brown fox jumps over the lazy dog while the meeting goes on about the budget.",
    "Please remember to send the slides to everyone before Friday, and check the numbers twice.",
    "We recorded this conversation for the archive; nothing in it should identify the listener.",
    "Seven hundred and twenty three people joined the call from twelve different countries.",
]
VOICES = ["en", "en-us", "de", "fr", "es", "en+f3", "en+m3"]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def sox(*args):
    # -R: repeatable dither. Without it sox seeds its dither from the clock, and a corpus made
    # again from the same seed differs in the last bit of every file that sox resampled or scaled.
    run(["sox", "-V1", "-R"] + [str(a) for a in args])


def speech(path, rate, seconds, rng, voice=None):
    raw = path + ".espeak.wav"
    text = " ".join(rng.sample(TEXTS, len(TEXTS)))
    run(["espeak-ng", "-v", voice or rng.choice(VOICES), "-s", str(rng.randint(130, 175)), "-w", raw, text])
    sox(raw, "-r", rate, "-c", 1, path, "repeat", 6, "trim", 0, seconds, "norm", -3)
    os.remove(raw)


def music(path, rate, seconds, rng):
    notes = ["C3", "E3", "G3", "A3", "C4", "D4", "E4", "G4", "A4", "C5"]
    parts = []
    t = 0.0
    k = 0
    while t < seconds:
        d = rng.choice([0.5, 1.0, 1.5, 2.0])
        part = f"{path}.n{k}.wav"
        chord = rng.sample(notes, 3)
        kind = rng.choice(["pluck", "square", "sawtooth", "triangle"])
        sox("-n", "-r", rate, "-c", 1, part, "synth", d, kind, chord[0], kind, chord[1], kind, chord[2],
            "remix", "-", "fade", 0.01, d, 0.05, "gain", -12)
        parts.append(part)
        t += d
        k += 1
    sox(*parts, path, "trim", 0, seconds, "norm", -3)
    for p in parts:
        os.remove(p)


def noise_mix(path, rate, seconds, rng, noise_gains_db=(-30, -36, -42)):
    base = path + ".base.wav"
    noise = path + ".noise.wav"
    speech(base, rate, seconds, rng)
    sox("-n", "-r", rate, "-c", 1, noise, "synth", seconds, rng.choice(["pinknoise", "brownnoise", "whitenoise"]),
        "gain", rng.choice(list(noise_gains_db)))
    sox("-m", "-v", 1, base, "-v", 1, noise, path, "norm", -3)
    os.remove(base)
    os.remove(noise)


def cymbals(path, rate, seconds, rng, base_maker=None):
    """Hard negative for beacons: bright broadband noise bursts (cymbal/sibilance-like) over
    synthetic music, or over `base_maker`'s recording (speech: sibilance-like)."""
    base = path + ".base.wav"
    (base_maker or music)(base, rate, seconds, rng)
    parts = []
    t = 0.0
    k = 0
    while t < seconds:
        on, off = rng.uniform(0.1, 0.8), rng.uniform(0.3, 1.5)
        part = f"{path}.c{k}.wav"
        sox("-n", "-r", rate, "-c", 1, part, "synth", on, "whitenoise", "highpass", 6000, "fade", 0, on, on * 0.9,
            "gain", -20, "pad", 0, off)
        parts.append(part)
        t += on + off
        k += 1
    hits = path + ".hits.wav"
    sox(*parts, hits, "trim", 0, seconds)
    sox("-m", "-v", 1, base, "-v", 1, hits, path, "norm", -3)
    for p in parts + [base, hits]:
        os.remove(p)


BEACON_HZ = [18000, 18500, 18750, 19000, 19500, 20000, 21000]


def add_beacon(src, dst, rate, seconds, rng, level_dbfs, fsk, frequencies_hz=None):
    burst_s = rng.choice([0.3, 0.5, 1.0, 2.0])
    gap_s = rng.choice([0.5, 1.0, 2.0, 3.0])
    f1 = rng.choice(frequencies_hz or BEACON_HZ)
    tone = dst + ".tone.wav"
    if fsk:
        f2 = f1 + rng.choice([200, 300, 500])
        symbols = [rng.choice([f1, f2]) for _ in range(6)]
        symbols[0], symbols[1] = f1, f2
        syms = []
        for i, f in enumerate(symbols):
            p = f"{dst}.s{i}.wav"
            sox("-n", "-r", rate, "-c", 1, p, "synth", 0.25, "sine", f, "gain", level_dbfs)
            syms.append(p)
        burst = dst + ".burst.wav"
        sox(*syms, burst, "pad", 0, gap_s)
        for p in syms:
            os.remove(p)
        sox(burst, tone, "repeat", int(seconds / (1.5 + gap_s)) + 2, "trim", 0, seconds)
        os.remove(burst)
        label = f"fsk {f1}/{f2} Hz"
        freqs = [f1, f2]
    else:
        sox("-n", "-r", rate, "-c", 1, tone, "synth", burst_s, "sine", f1, "fade", 0.005, burst_s, 0.005,
            "gain", level_dbfs, "pad", 0, gap_s, "repeat", int(seconds / (burst_s + gap_s)) + 2, "trim", 0, seconds)
        label = f"ook {f1} Hz"
        freqs = [f1]
    # Start at a random offset: the synthetic music changes chords on a 0.5-s grid, and a
    # beacon on the same grid would start and stop exactly with the notes.
    shifted = dst + ".shift.wav"
    sox(tone, shifted, "pad", round(rng.uniform(0.05, 0.45), 3), 0, "trim", 0, seconds)
    sox("-m", "-v", 1, src, "-v", 1, shifted, dst)
    os.remove(tone)
    os.remove(shifted)
    return label, freqs


def add_constant_tone(src, dst, rate, seconds, rng):
    tone = dst + ".tone.wav"
    sox("-n", "-r", rate, "-c", 1, tone, "synth", seconds, "sine", rng.choice([17800, 19000, 20500]), "gain", -50)
    sox("-m", "-v", 1, src, "-v", 1, tone, dst)
    os.remove(tone)


def transcode(src, codec, out_dir):
    name = os.path.splitext(os.path.basename(src))[0]
    spec = {
        "aac128": (["-c:a", "aac", "-b:a", "128k"], ".m4a"),
        "aac96": (["-c:a", "aac", "-b:a", "96k"], ".m4a"),
        "mp3128": (["-c:a", "libmp3lame", "-b:a", "128k"], ".mp3"),
        "opus64": (["-c:a", "libopus", "-b:a", "64k"], ".opus"),
    }[codec]
    dst = os.path.join(out_dir, f"{name}_{codec}{spec[1]}")
    run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", src] + spec[0] + [dst])
    return dst


def tone_level_db(path, hz, rate):
    """RMS (dB re full scale) of `path` in a 120-Hz band around `hz`, decoded by ffmpeg at `rate`."""
    wav = path + ".band.wav"
    run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", path, "-ac", "1", "-ar", str(rate), "-c:a", "pcm_f32le", wav])
    out = subprocess.run(["sox", "-V1", wav, "-n", "sinc", f"{hz - 60}-{hz + 60}", "stats"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stderr
    os.remove(wav)
    for line in out.splitlines():
        if line.startswith("RMS lev dB"):
            value = line.split()[3]
            return float(value) if value not in ("-inf", "inf") else -200.0
    return -200.0


# A transcoded beacon counts as "band kept" when every beacon tone comes out of the codec within
# BAND_KEPT_DB of its level in the WAV it was made from (same narrow band-pass on both, so the
# programme's own content in that band is included alike); otherwise "band cut" (low-pass,
# band-width decision or spectral holes of the codec).
BAND_KEPT_DB = 6.0


def tone_loss_db(original, transcoded, freqs, rate):
    return max(tone_level_db(original, f, rate) - tone_level_db(transcoded, f, rate) for f in freqs)


def write_labels(out_dir, rows):
    tmp = os.path.join(out_dir, "labels.csv.tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "condition", "beacon", "echo", "level_dbfs", "beacon_hz",
                                           "tone_loss_db", "band", "echo_delay_ms"])
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, os.path.join(out_dir, "labels.csv"))


def make(out_dir, full, seed, reps=None):
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    seconds = 40 if full else 20
    reps = reps or (2 if full else 1)
    rows = []

    def add(path, condition, beacon, echo, **extra):
        rows.append({"file": os.path.basename(path), "condition": condition,
                     "beacon": int(beacon), "echo": int(echo), **extra})

    bases = []
    for rate in (44100, 48000):
        for kind, maker in (("speech", speech), ("music", music), ("noisemix", noise_mix)):
            for r in range(reps):
                p = os.path.join(out_dir, f"{kind}_{rate}_{r}.wav")
                maker(p, rate, seconds, rng)
                add(p, f"clean {kind}", False, False)
                bases.append((p, kind, rate))
    for p, kind, rate in bases:
        stem = os.path.splitext(p)[0]
        # beacons
        levels = (-40, -50, -55)
        for level in levels if full else (rng.choice(levels),):
            for fsk in (False, True):
                dst = f"{stem}_beacon{'fsk' if fsk else 'ook'}{-level}.wav"
                _, freqs = add_beacon(p, dst, rate, seconds, rng, level, fsk)
                hz = "/".join(str(f) for f in freqs)
                add(dst, f"beacon {'fsk' if fsk else 'ook'} {level} dBFS {kind}", True, False,
                    level_dbfs=level, beacon_hz=hz, tone_loss_db=0.0, band="kept")
                if full or (level == -40 and not fsk):
                    for codec in ("aac128", "aac96", "mp3128", "opus64") if full else ("aac128",):
                        coded = transcode(dst, codec, out_dir)
                        loss = tone_loss_db(dst, coded, freqs, rate)
                        add(coded, f"beacon {'fsk' if fsk else 'ook'} {level} dBFS {codec}", True, False,
                            level_dbfs=level, beacon_hz=hz, tone_loss_db=round(loss, 1),
                            band="kept" if loss <= BAND_KEPT_DB else "cut")
        # echoes
        for delay_ms in (0.5, 1.0, 2.0, 3.0) if full else (rng.choice([0.5, 1.0, 2.0, 3.0]),):
            for decay in (0.2, 0.3, 0.5) if full else (0.3,):
                dst = f"{stem}_echo{delay_ms}_{decay}.wav"
                sox(p, dst, "echo", 1, 0.7, delay_ms, decay)
                add(dst, f"echo decay {decay} {kind}", False, True, echo_delay_ms=delay_ms)
                if full and decay == 0.3:
                    for codec in ("aac128", "mp3128", "opus64"):
                        add(transcode(dst, codec, out_dir), f"echo decay {decay} {codec}", False, True,
                            echo_delay_ms=delay_ms)
        # hard negatives
        dst = f"{stem}_reverb.wav"
        sox(p, dst, "reverb", rng.choice([30, 50, 80]), 50, rng.choice([50, 100]))
        add(dst, f"reverb {kind}", False, False)
        dst = f"{stem}_consttone.wav"
        add_constant_tone(p, dst, rate, seconds, rng)
        add(dst, "constant tone", False, False)
        if kind == "music":
            dst = f"{stem}_cymbals.wav"
            cymbals(dst, rate, seconds, rng)
            add(dst, "cymbal bursts", False, False)
        if full:
            add(transcode(p, "aac128", out_dir), f"clean {kind} aac128", False, False)
            add(transcode(p, "mp3128", out_dir), f"clean {kind} mp3128", False, False)
        write_labels(out_dir, rows)  # usable while the rest is still being made
    # band-limited: 32 kHz must give "not checked" for beacons
    p = os.path.join(out_dir, "speech_32000.wav")
    speech(p, 32000, seconds, rng)
    add(p, "32 kHz (beacon band not checkable)", False, False)
    write_labels(out_dir, rows)
    print(f"{len(rows)} files in {out_dir}")


# Codec stress set: lossy codecs low-pass near 20-22 kHz and decide per frame whether to keep
# their top band; on broadband content the edge switches on and off like an OOK beacon. Bases
# with energy up to the edge (speech under noise, loud noise, bright bursts, music) at both
# rates, each clean and through every codec (hard negatives), plus one beacon per base at
# -40..-55 dBFS between 18 and 21.5 kHz through the same codecs (positives, band kept or cut
# as measured).
STRESS_KINDS = (
    ("noisemix", noise_mix),
    ("loudnoise", lambda p, r, s, g: noise_mix(p, r, s, g, noise_gains_db=(-12, -18, -24))),
    ("sibilance", lambda p, r, s, g: cymbals(p, r, s, g, base_maker=speech)),
    ("cymbals", cymbals),
    ("music", music),
)
STRESS_CODECS = ("aac128", "aac96", "mp3128", "opus64")
STRESS_BEACON_HZ = [18000, 18500, 19000, 19500, 19800, 20000, 20500, 21000, 21500]


def codec_stress(out_dir, seed, reps, seconds=40):
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    rows = []
    for r in range(reps):
        for rate in (44100, 48000):
            for kind, maker in STRESS_KINDS:
                p = os.path.join(out_dir, f"{kind}_{rate}_{r}.wav")
                maker(p, rate, seconds, rng)
                rows.append({"file": os.path.basename(p), "condition": f"stress clean {kind}", "beacon": 0, "echo": 0})
                for codec in STRESS_CODECS:
                    rows.append({"file": os.path.basename(transcode(p, codec, out_dir)),
                                 "condition": f"stress {kind} {codec}", "beacon": 0, "echo": 0})
                level = rng.choice([-40, -45, -50, -55])
                fsk = rng.random() < 0.5
                modulation = "fsk" if fsk else "ook"
                dst = f"{os.path.splitext(p)[0]}_beacon{modulation}{-level}.wav"
                _, freqs = add_beacon(p, dst, rate, seconds, rng, level, fsk, STRESS_BEACON_HZ)
                hz = "/".join(str(f) for f in freqs)
                rows.append({"file": os.path.basename(dst), "condition": f"stress beacon {kind} wav", "beacon": 1,
                             "echo": 0, "level_dbfs": level, "beacon_hz": hz, "tone_loss_db": 0.0, "band": "kept"})
                for codec in STRESS_CODECS:
                    coded = transcode(dst, codec, out_dir)
                    loss = tone_loss_db(dst, coded, freqs, rate)
                    rows.append({"file": os.path.basename(coded), "condition": f"stress beacon {codec}", "beacon": 1,
                                 "echo": 0, "level_dbfs": level, "beacon_hz": hz, "tone_loss_db": round(loss, 1),
                                 "band": "kept" if loss <= BAND_KEPT_DB else "cut"})
                write_labels(out_dir, rows)
    print(f"{len(rows)} files in {out_dir}")


# Reverb stress set: the target is "<= 2 % false echo marks on reverb", and `make` holds only 12
# reverb files per corpus. A room is a fixed filter for as long as the microphone stays put, so
# its response adds the same spectral ripple to every frame, as an echo does; these are the
# negatives that test whether the detector can tell them apart.
def room_response(path, rate, rng):
    """A synthetic room impulse response written as a mono 16-bit WAV: the direct sound, a few
    early reflections 3-25 ms later (walls; only the 3-ms edge touches the 0.5-3 ms an echo mark
    uses) and a diffuse tail of exponentially decaying noise with an RT60 of 0.2-1.2 s."""
    rt60_s = rng.uniform(0.2, 1.2)
    n = int(rate * min(1.5, rt60_s * 1.2))
    ir = [0.0] * n
    ir[0] = 1.0
    for _ in range(rng.randint(2, 6)):
        k = int(rate * rng.uniform(0.003, 0.025))
        ir[k] += rng.uniform(0.1, 0.5) * rng.choice([-1.0, 1.0])
    onset = int(rate * rng.uniform(0.005, 0.02))
    tail_gain = rng.uniform(0.02, 0.08)
    for k in range(onset, n):
        ir[k] += tail_gain * rng.gauss(0.0, 1.0) * 10.0 ** (-3.0 * (k - onset) / (rt60_s * rate))
    peak = max(abs(v) for v in ir)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(array.array("h", (int(32767 * v / peak) for v in ir)).tobytes())
    return rt60_s


def reverb_stress(out_dir, seed, reps, seconds=30):
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    rows = []

    def add(path, condition):
        rows.append({"file": os.path.basename(path), "condition": condition, "beacon": 0, "echo": 0})

    makers = [("speech " + v, lambda p, r, s, g, v=v: speech(p, r, s, g, voice=v)) for v in VOICES]
    makers += [("music", music), ("noisemix", noise_mix)]
    for r in range(reps):
        for rate in (44100, 48000):
            for kind, maker in makers:
                name = kind.replace(" ", "_").replace("+", "")
                p = os.path.join(out_dir, f"{name}_{rate}_{r}.wav")
                maker(p, rate, seconds, rng)
                base_kind = kind.split()[0]  # speech, music or noisemix: the voice is in the file name
                add(p, f"reverb clean {base_kind}")
                stem = os.path.splitext(p)[0]
                # sox reverb: reverberance, HF damping, room scale, stereo depth, pre-delay, wet gain
                for k in range(2):
                    dst = f"{stem}_sox{k}.wav"
                    wet_only = rng.random() < 0.25
                    sox(p, dst, "reverb", *(["-w"] if wet_only else []), rng.randint(10, 100), rng.randint(0, 100),
                        rng.randint(10, 100), 100, rng.randint(0, 40), rng.randint(-6, 3), "norm", -3)
                    add(dst, f"reverb sox{' wet' if wet_only else ''} {base_kind}")
                ir = f"{stem}_room.ir.wav"
                rt60_s = room_response(ir, rate, rng)
                dst = f"{stem}_room{rt60_s:.1f}.wav"
                try:
                    # gtype=none: the IR as written (ffmpeg 5.1; 6.1 replaced it by irnorm)
                    run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", p, "-i", ir, "-filter_complex",
                         "[0:a][1:a]afir=gtype=none,loudnorm=I=-20:TP=-3", "-ar", str(rate), "-c:a", "pcm_s16le",
                         dst])
                finally:
                    os.remove(ir)
                add(dst, f"reverb room {base_kind}")
                dst = f"{stem}_slap.wav"
                delay = rng.randint(20, 80)
                sox(p, dst, "echos", 0.8, 0.7, delay, rng.uniform(0.2, 0.4), delay * 2 + rng.randint(5, 20), 0.15,
                    "norm", -3)
                add(dst, f"reverb slap-back {base_kind}")
                write_labels(out_dir, rows)
    print(f"{len(rows)} files in {out_dir}")


def scan(wmscan, files, extra=()):
    cmd = [wmscan, "scan", "--format", "jsonl", "--show-values", "--no-hash", "--detectors", "audio", *extra, *files]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    reports = {}
    for line in out.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if "path" in r:
            reports[os.path.basename(r["path"])] = r
    return reports


def found(report, detector, severities=("high", "medium")):
    return [f for f in report.get("findings", []) if f["detector"] == detector and f["severity"] in severities]


def right_frequency(findings, beacon_hz):
    """True when a finding names one of the labelled beacon frequencies (±50 Hz), or the label
    has none (corpora made before the column existed)."""
    if not beacon_hz:
        return True
    truth = [float(f) for f in beacon_hz.split("/")]
    for f in findings:
        for hz in str(f.get("evidence", {}).get("frequencies_hz", "")).split(","):
            if hz and any(abs(float(hz) - t) <= 50.0 for t in truth):
                return True
    return False


# A reported echo delay must match the labelled one this closely (a lag or two of rounding).
ECHO_DELAY_TOLERANCE_MS = 0.05


def labelled_echo_delay_ms(row):
    """The echo delay of a marked file: the label column, or for corpora made before it existed
    the `_echo<ms>_` part of the file name; None when neither says."""
    if row.get("echo_delay_ms"):
        return float(row["echo_delay_ms"])
    m = re.search(r"_echo([0-9.]+)_", row["file"])
    return float(m.group(1)) if m else None


def right_delay(findings, delay_ms):
    """True when a finding reports the labelled echo delay (or there is no label to check)."""
    if delay_ms is None:
        return True
    return any(abs(float(f.get("evidence", {}).get("delay_ms", -1.0)) - delay_ms) <= ECHO_DELAY_TOLERANCE_MS
               for f in findings)


def not_checked(report, detector):
    return any(n["detector"] == detector for n in report.get("not_checked", []))


def evaluate(out_dir, wmscan, only=None, show_errors=False):
    with open(os.path.join(out_dir, "labels.csv")) as f:
        rows = [r for r in csv.DictReader(f) if os.path.exists(os.path.join(out_dir, r["file"]))]
    if only:
        rows = [r for r in rows if only in r["file"] or only in r["condition"]]
    reports = scan(wmscan, [os.path.join(out_dir, r["file"]) for r in rows])
    stats = defaultdict(lambda: [0, 0, 0])  # (detector, condition, positive?) -> hits, checked, not checked
    awm_fp = 0
    by_band = defaultdict(lambda: [0, 0, 0])  # (band, level) -> hits, checked, not checked
    wrong_frequency = [0]  # beacon files with a beacon finding at none of the labelled frequencies
    wrong_delay = [0]  # echo files with an echo finding at another delay than the labelled one
    for r in rows:
        rep = reports.get(r["file"])
        if rep is None:
            print(f"no report for {r['file']}", file=sys.stderr)
            continue
        for detector, label in (("audio.ultrasonic_beacon", "beacon"), ("audio.echo_hiding", "echo")):
            positive = r[label] == "1"
            key = (detector, r["condition"], positive)
            if not_checked(rep, detector) and not found(rep, detector):
                stats[key][2] += 1
                if detector == "audio.ultrasonic_beacon" and positive:
                    by_band[(r.get("band") or "?", r.get("level_dbfs") or "?")][2] += 1
                continue
            band_key = (r.get("band") or "?", r.get("level_dbfs") or "?")
            hit = bool(found(rep, detector))
            if detector == "audio.ultrasonic_beacon" and positive and hit and not right_frequency(
                    found(rep, detector), r.get("beacon_hz")):
                hit = False  # something was reported, but not the beacon: a miss (and listed)
                wrong_frequency[0] += 1
            if detector == "audio.echo_hiding" and positive and hit and not right_delay(
                    found(rep, detector), labelled_echo_delay_ms(r)):
                hit = False  # an echo was reported, but at another delay: a miss (and listed)
                wrong_delay[0] += 1
            if detector == "audio.ultrasonic_beacon" and positive:
                by_band[band_key][1] += 1
                by_band[band_key][0] += 1 if hit else 0
            stats[key][1] += 1
            stats[key][0] += 1 if hit else 0
            if show_errors and hit != positive:
                what = "FP  " if not positive else "MISS"
                ev = [f.get("evidence") for f in found(rep, detector)]
                extra = f"[{r.get('beacon_hz')} Hz, band {r.get('band')}, loss {r.get('tone_loss_db')} dB] " \
                    if detector == "audio.ultrasonic_beacon" and positive else ""
                print(f"{what} {detector:24} {r['file']} {extra}{ev if ev else ''}")
        awm_fp += len(found(rep, "audio.audiowmark"))
    print(f"{'detector':26} {'condition':44} {'kind':5} {'rate':>7} {'n':>4} {'not checked':>11}")
    for (detector, condition, positive), (hits, n, nc) in sorted(stats.items()):
        kind = "det" if positive else "FP"
        rate = f"{100.0 * hits / n:6.1f}%" if n else "    -  "
        print(f"{detector:26} {condition:44} {kind:5} {rate:>7} {n:4d} {nc:11d}")
    for detector in ("audio.ultrasonic_beacon", "audio.echo_hiding"):
        pos = [v for (d, c, p), v in stats.items() if d == detector and p]
        neg = [v for (d, c, p), v in stats.items() if d == detector and not p]
        ph, pn = sum(v[0] for v in pos), sum(v[1] for v in pos)
        nh, nn = sum(v[0] for v in neg), sum(v[1] for v in neg)
        print(f"TOTAL {detector}: detection {ph}/{pn}, false positives {nh}/{nn}")
    # Beacons split by whether the beacon tones survived the codec (labels: band kept / cut,
    # measured when the corpus was made; "?" for corpora made before that column existed).
    print(f"{'beacon by band':26} {'band':6} {'level dBFS':>10} {'rate':>7} {'n':>4} {'not checked':>11}")
    for (band, level), (hits, n, nc) in sorted(by_band.items()):
        rate = f"{100.0 * hits / n:6.1f}%" if n else "    -  "
        print(f"{'beacon by band':26} {band:6} {level:>10} {rate:>7} {n:4d} {nc:11d}")
    target = [v for (band, level), v in by_band.items() if band == "kept" and level != "?" and float(level) >= -50]
    th, tn = sum(v[0] for v in target), sum(v[1] for v in target)
    print(f"TOTAL audio.ultrasonic_beacon at >= -50 dBFS, band kept: detection {th}/{tn}")
    print(f"TOTAL audio.ultrasonic_beacon: beacon files reported at a wrong frequency only (counted as misses): "
          f"{wrong_frequency[0]}")
    # The echo target is about reverb: files through a room (the make corpus's `reverb`
    # rows and the reverb stress set's rooms), not the clean bases the stress set also holds.
    reverb = [v for (d, c, p), v in stats.items()
              if d == "audio.echo_hiding" and not p and c.startswith("reverb") and not c.startswith("reverb clean")]
    print(f"TOTAL audio.echo_hiding on reverberant files: false positives {sum(v[0] for v in reverb)}/"
          f"{sum(v[1] for v in reverb)}")
    print(f"TOTAL audio.echo_hiding: echo files reported at a wrong delay only (counted as misses): "
          f"{wrong_delay[0]}")
    print(f"TOTAL audio.audiowmark: payloads reported on unmarked corpus files: {awm_fp} (of {len(rows)} files)")


def vectors(wmscan):
    expected = {
        "zero_150s.flac": VECTOR_PAYLOAD, "zero_150s_mp3-128k.mp3": VECTOR_PAYLOAD,
        "zero_150s_aac-128k.m4a": VECTOR_PAYLOAD, "zero_150s_in-video.mp4": VECTOR_PAYLOAD,
        "zero_48k.flac": VECTOR_PAYLOAD, "zero_clip60.flac": VECTOR_PAYLOAD, "zero_s15.flac": VECTOR_PAYLOAD,
        "zero_s15_opus-64k.opus": VECTOR_PAYLOAD, "k1_150s.flac": None, "clean_150s.flac": None,
        "clean_150s_aac-128k.m4a": None,
    }
    if not os.path.isdir(VECTORS):
        print(f"no vectors at {VECTORS}; skipped")
        return
    reports = scan(wmscan, [os.path.join(VECTORS, f) for f in expected])
    keyed = scan(wmscan, [os.path.join(VECTORS, "k1_150s.flac")],
                 ["--param", "audio.audiowmark_keys=" + os.path.join(VECTORS, "k1.key")])
    ok = 0
    cases = [(name, want, reports.get(name)) for name, want in expected.items()]
    cases.append(("k1_150s.flac (with k1.key)", KEYED_PAYLOAD, keyed.get("k1_150s.flac")))
    for name, want, rep in cases:
        got = [f["evidence"].get("payload_hex") for f in found(rep or {}, "audio.audiowmark", ("high",))]
        good = got == ([want] if want else [])
        ok += good
        print(f"{'ok  ' if good else 'FAIL'} {name:32} expected {want or 'nothing':34} got {got}")
    print(f"TOTAL vectors: {ok}/{len(cases)} as expected")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["make", "codec-stress", "reverb-stress", "eval", "vectors"])
    ap.add_argument("dir", nargs="?")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--reps", type=int, default=None, help="base recordings per kind and rate (default 2 full, 1 small)")
    ap.add_argument("--seed", type=int, default=20261201,
                    help="generator seed (20261201 = tuning split; use another, e.g. 7, for a held-out split)")
    ap.add_argument("--only", help="eval: only files whose name or condition contains this")
    ap.add_argument("--errors", action="store_true", help="eval: list every miss and false positive")
    ap.add_argument("--wmscan", default=os.environ.get("WMSCAN", DEFAULT_WMSCAN))
    a = ap.parse_args()
    if a.mode == "make":
        make(a.dir, a.full, a.seed, a.reps)
    elif a.mode == "codec-stress":
        codec_stress(a.dir, a.seed, a.reps or 2)
    elif a.mode == "reverb-stress":
        reverb_stress(a.dir, a.seed, a.reps or 2)
    elif a.mode == "eval":
        evaluate(a.dir, a.wmscan, a.only, a.errors)
    else:
        vectors(a.wmscan)


if __name__ == "__main__":
    main()
